package io.engage.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens of the HTTP APIs, by role ({@code gateway}, {@code admin}, {@code read}), from configuration
 * ({@code auth.token.gateway}, {@code auth.token.admin}, {@code auth.token.read}; a comma-separated list gives a role
 * several tokens, e.g. one per gateway). Comparison is constant-time; tokens never appear in {@link #toString()}.
 */
public final class ApiTokens {
    /** API roles. */
    public enum Role {
        gateway,
        admin,
        read
    }

    public static final String FILE_NAME = "tokens.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<Role, List<byte[]>> tokens;
    /** Each token's name: configured ({@code name:token}), else {@code role-index}. */
    private final Map<Role, List<String>> names;

    private ApiTokens(Map<Role, List<byte[]>> tokens, Map<Role, List<String>> names) {
        this.tokens = tokens;
        this.names = names;
    }

    /**
     * A principal: the role, which of the role's tokens (0-based) and its stable, non-secret name (configured, else
     * {@code role-index}, e.g. {@code gateway-0}), so each gateway can be told apart and devices bound to one.
     */
    public record Principal(Role role, int tokenIndex, String name) {
        /** A principal with the default name. */
        public Principal(Role role, int tokenIndex) {
            this(role, tokenIndex, role + "-" + tokenIndex);
        }
    }

    /** The names of a role's tokens (docs/configuration.md, {@code auth.token.*}). */
    public List<String> names(Role role) {
        return names.get(role);
    }

    /** Tokens from {@code auth.token.*} keys; a role without a token cannot be used (every request gets 401). */
    public static ApiTokens fromConfig(EngageConfig config) {
        Map<Role, List<String>> m = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            m.put(r, config.optional("auth.token." + r).map(ApiTokens::split).orElse(List.of()));
        }
        return of(m);
    }

    /** A token's name before its value: {@code name:token}. */
    private static final java.util.regex.Pattern NAMED =
            java.util.regex.Pattern.compile("([A-Za-z0-9._-]{1,64}):(.+)", java.util.regex.Pattern.DOTALL);

    /**
     * Tokens given per role; an entry {@code name:token} names its token (letters, digits, {@code . _ -}, at most 64),
     * an entry without a name is called {@code role-index}.
     */
    public static ApiTokens of(Map<Role, List<String>> byRole) {
        Map<Role, List<byte[]>> m = new LinkedHashMap<>();
        Map<Role, List<String>> n = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            List<byte[]> list = new ArrayList<>();
            List<String> named = new ArrayList<>();
            for (String entry : byRole.getOrDefault(r, List.of())) {
                if (entry != null && !entry.isBlank()) {
                    java.util.regex.Matcher nm = NAMED.matcher(entry);
                    String name = nm.matches() ? nm.group(1) : r + "-" + list.size();
                    String t = nm.matches() ? nm.group(2) : entry;
                    if (t.length() < 16) {
                        throw new ConfigException("auth.token." + r + ": tokens must be at least 16 characters");
                    }
                    if (named.contains(name)) {
                        throw new ConfigException("auth.token." + r + ": two tokens are named '" + name + "'");
                    }
                    list.add(t.getBytes(StandardCharsets.UTF_8));
                    named.add(name);
                }
            }
            m.put(r, List.copyOf(list));
            n.put(r, List.copyOf(named));
        }
        return new ApiTokens(m, n);
    }

    /** One fresh random token per role (256 bits, URL-safe base64). */
    public static ApiTokens generate() {
        Map<Role, List<String>> m = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            m.put(r, List.of(Base64.getUrlEncoder().withoutPadding().encodeToString(b)));
        }
        return of(m);
    }

    /**
     * The local stack's tokens: configured ones win; otherwise those in {@code dataDir/tokens.json}, generated and
     * written there (owner-only permissions) on first use, as {@code {"gateway": "...", "admin": "...", "read": "..."}}.
     */
    public static ApiTokens localStack(EngageConfig config, Path dataDir) {
        ApiTokens configured = fromConfig(config);
        Path file = dataDir.resolve(FILE_NAME);
        ApiTokens stored = null;
        if (Files.exists(file)) {
            try {
                JsonNode n = JSON.readTree(file.toFile());
                Map<Role, List<String>> m = new LinkedHashMap<>();
                for (Role r : Role.values()) {
                    m.put(r, n.hasNonNull(r.name()) ? List.of(n.get(r.name()).asText()) : List.of());
                }
                stored = of(m);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(
                        "cannot read " + file + ": " + e.getMessage() + " (delete it to generate new tokens)");
            }
        }
        if (stored == null || stored.tokens.values().stream().anyMatch(List::isEmpty)) {
            stored = generate();
        }
        Map<Role, List<byte[]>> merged = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            merged.put(r, configured.tokens.get(r).isEmpty() ? stored.tokens.get(r) : configured.tokens.get(r));
        }
        Map<Role, List<String>> mergedNames = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            mergedNames.put(r, configured.tokens.get(r).isEmpty() ? stored.names.get(r) : configured.names.get(r));
        }
        ApiTokens result = new ApiTokens(merged, mergedNames);
        result.write(file);
        return result;
    }

    /**
     * Writes {@code {"gateway": ..., "admin": ..., "read": ...}} (the first token of each role) owner-only: the file is
     * created with owner-only permissions before a token is written to it, and a directory created for it is
     * owner-only too (an existing directory keeps its permissions).
     */
    public void write(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            first(r).ifPresent(t -> m.put(r.name(), t));
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                createOwnerOnly(dir, "rwx------", true);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp, "rw-------", false);
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Creates {@code path} (a directory, with its parents, or an empty file) with {@code permissions} from the start. */
    private static void createOwnerOnly(Path path, String permissions, boolean directory) throws IOException {
        try {
            var attribute = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
            if (directory) {
                Files.createDirectories(path, attribute);
            } else {
                Files.createFile(path, attribute);
            }
        } catch (UnsupportedOperationException notPosix) {
            if (directory) {
                Files.createDirectories(path);
            } else {
                Files.createFile(path);
            }
        }
    }

    /** The first token of a role (to print it for the operator of a local stack). */
    public Optional<String> first(Role role) {
        List<byte[]> l = tokens.get(role);
        return l.isEmpty() ? Optional.empty() : Optional.of(new String(l.get(0), StandardCharsets.UTF_8));
    }

    /**
     * Who presents {@code token}, checked against every token of every role in constant time per token (no early
     * exit on the first match, so timing does not reveal which role or how much of a token matched).
     */
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        Principal found = null;
        for (Role r : Role.values()) {
            List<byte[]> l = tokens.get(r);
            for (int i = 0; i < l.size(); i++) {
                if (MessageDigest.isEqual(l.get(i), given) && found == null) {
                    found = new Principal(r, i, names.get(r).get(i));
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** What an HTTP {@code Authorization} header is allowed to do on an endpoint that needs one role. */
    public sealed interface Access {
        /** The bearer token is valid and of the role needed. */
        record Granted(Principal principal) implements Access {}

        /** No bearer token, or an unknown one: HTTP 401 with {@code WWW-Authenticate: Bearer}. */
        record Unauthenticated(String message) implements Access {}

        /** A valid token of another role: HTTP 403. */
        record Forbidden(String message) implements Access {}
    }

    /** Checks an {@code Authorization: Bearer <token>} header (scheme case-insensitive) for {@code role}. */
    public Access access(String authorizationHeader, Role role) {
        String h = authorizationHeader;
        String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? h.substring(7).trim()
                : null;
        Optional<Principal> who = authenticate(token);
        if (who.isEmpty()) {
            return new Access.Unauthenticated(h == null ? "missing bearer token" : "invalid bearer token");
        }
        if (who.get().role() != role) {
            return new Access.Forbidden("this endpoint needs a " + role + " token, not a "
                    + who.get().role() + " token");
        }
        return new Access.Granted(who.get());
    }

    /** Whether a role has any token. */
    public boolean configured(Role role) {
        return !tokens.get(role).isEmpty();
    }

    private static List<String> split(String s) {
        return java.util.Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .toList();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ApiTokens[");
        for (Role r : Role.values()) {
            b.append(r).append('=').append(tokens.get(r).size()).append(' ');
        }
        return b.toString().trim() + "]";
    }
}
