package io.engage.processing;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * What the {@code timezone} field of a {@code participants} record means to the applications that keep profiles (the
 * normaliser's consent profiles, the engagement application's profiles): an IANA zone id Java knows, normalised; blank
 * or unknown counts as none (docs/rules.md, "The participant's local day (zone choice)").
 */
public final class ProfileZone {
    private ProfileZone() {}

    /** The normalised zone id, or null when {@code timezone} is null, blank or not a zone Java knows. */
    public static String normalize(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return null;
        }
        try {
            return ZoneId.of(timezone).getId();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
