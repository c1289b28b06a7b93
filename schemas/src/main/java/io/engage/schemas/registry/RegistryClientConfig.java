package io.engage.schemas.registry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a registry client, read from the same keys Confluent's clients use
 * ({@code schema.registry.url}, {@code basic.auth.credentials.source}, {@code basic.auth.user.info}, ...).
 */
public record RegistryClientConfig(
        List<String> urls,
        String userInfo,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration requestTimeout,
        String truststoreLocation,
        String truststorePassword,
        String truststoreType,
        String keystoreLocation,
        String keystorePassword,
        String keystoreType,
        int cacheCapacity) {

    public static final String URL = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String SR_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String MAX_ATTEMPTS = "schema.registry.max.attempts";
    public static final String BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String MAX_BACKOFF_MS = "schema.registry.retry.backoff.max.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

    public RegistryClientConfig {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " is required");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " must be at least 1");
        }
        urls = List.copyOf(urls);
    }

    /** A configuration with default retries and timeouts for one or more comma-separated URLs. */
    public static RegistryClientConfig of(String urls) {
        return from(Map.of(URL, urls));
    }

    /** Reads the settings from client configuration (Kafka serde configs or engage properties). */
    public static RegistryClientConfig from(Map<String, ?> configs) {
        Object url = configs.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(URL + " is required");
        }
        List<String> urls = Arrays.stream(url.toString().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                .toList();
        String source = str(configs, CREDENTIALS_SOURCE, "USER_INFO");
        String userInfo = null;
        if ("USER_INFO".equalsIgnoreCase(source)) {
            userInfo = str(configs, USER_INFO, str(configs, SR_USER_INFO, null));
        } else if ("URL".equalsIgnoreCase(source)) {
            userInfo = userInfoFromUrl(urls.get(0));
        }
        if (userInfo != null && userInfo.isBlank()) {
            userInfo = null;
        }
        return new RegistryClientConfig(
                urls.stream().map(RegistryClientConfig::stripUserInfo).toList(),
                userInfo,
                Integer.parseInt(str(configs, MAX_ATTEMPTS, "5")),
                Duration.ofMillis(Long.parseLong(str(configs, BACKOFF_MS, "100"))),
                Duration.ofMillis(Long.parseLong(str(configs, MAX_BACKOFF_MS, "5000"))),
                Duration.ofMillis(Long.parseLong(str(configs, REQUEST_TIMEOUT_MS, "30000"))),
                str(configs, TRUSTSTORE_LOCATION, null),
                str(configs, TRUSTSTORE_PASSWORD, null),
                str(configs, TRUSTSTORE_TYPE, "PKCS12"),
                str(configs, KEYSTORE_LOCATION, null),
                str(configs, KEYSTORE_PASSWORD, null),
                str(configs, KEYSTORE_TYPE, "PKCS12"),
                Integer.parseInt(str(configs, CACHE_CAPACITY, "1000")));
    }

    private static String str(Map<String, ?> configs, String key, String dflt) {
        Object v = configs.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof org.apache.kafka.common.config.types.Password p) {
            return p.value();
        }
        return v.toString();
    }

    private static String userInfoFromUrl(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        if (scheme < 0 || at < 0 || at < scheme) {
            return null;
        }
        return java.net.URLDecoder.decode(url.substring(scheme + 3, at), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String stripUserInfo(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        if (scheme < 0 || at < 0 || at < scheme) {
            return url;
        }
        return url.substring(0, scheme + 3) + url.substring(at + 1);
    }

    @Override
    public String toString() {
        // Never print credentials or passwords.
        return "RegistryClientConfig[urls=" + urls + ", basicAuth=" + (userInfo != null) + ", maxAttempts="
                + maxAttempts + "]";
    }
}
