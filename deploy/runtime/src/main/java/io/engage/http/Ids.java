package io.engage.http;

import java.util.regex.Pattern;

/**
 * Identifier rules for path and body ids: 1-128 of letters, digits, {@code . _ : -}. This keeps ids pseudonymous
 * in practice (no e-mail addresses or phone numbers with {@code @}, {@code +} or spaces) and safe in paths and keys.
 */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Ids() {}

    /** Throws a 400 naming {@code what} when {@code id} is not a valid id. */
    public static String require(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiException.badRequest(what + " must be 1-128 characters of letters, digits, '.', '_', ':' or '-'"
                    + " (pseudonymous ids only), was '"
                    + (id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'");
        }
        return id;
    }
}
