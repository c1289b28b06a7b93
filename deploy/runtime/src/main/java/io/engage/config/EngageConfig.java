package io.engage.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * engage's configuration (docs/configuration.md): defaults, overridden by a properties file, overridden by
 * {@code ENGAGE_*} environment variables, overridden by command-line flags. Every key is validated when the
 * configuration is built, with a message naming the key and where its value came from.
 *
 * <p>{@code kafka.*} keys pass through to the Kafka clients with the prefix removed (security settings
 * included); {@code schema.registry.*} and {@code basic.auth.*} keys pass through to the registry client.
 */
public final class EngageConfig {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String DATA_DIR = "data.dir";
    public static final String INGEST_PORT = "ingest.port";
    public static final String QUERY_PORT = "query.port";
    public static final String REGISTRY_PORT = "registry.port";
    public static final String BROKER_PORT = "broker.port";
    public static final String LATE_HORIZON = "late.horizon";
    public static final String CLOCK_SKEW_TOLERANCE = "clock.skew.tolerance";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String APPLICATION_ID = "application.id";
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String INSTANCE_ID = "instance.id";
    public static final String INGEST_RATE_LIMIT = "ingest.rate.limit";
    public static final String INGEST_PUBLISHERS = "ingest.publishers";
    public static final String INGEST_ACK_TIMEOUT = "ingest.ack.timeout";
    public static final String QUERY_ADVERTISED_HOST = "query.advertised.host";
    public static final String INGEST_BIND_ADDRESS = "ingest.bind.address";
    public static final String QUERY_BIND_ADDRESS = "query.bind.address";
    /** The ingest API's TLS key store (PKCS12, or JKS by its {@code .jks} name); unset: plain HTTP. */
    public static final String INGEST_TLS_KEYSTORE = "ingest.tls.keystore";

    public static final String INGEST_TLS_KEYSTORE_PASSWORD = "ingest.tls.keystore.password";
    /** The query API's TLS key store; unset: plain HTTP. */
    public static final String QUERY_TLS_KEYSTORE = "query.tls.keystore";

    public static final String QUERY_TLS_KEYSTORE_PASSWORD = "query.tls.keystore.password";
    /** {@code user:password} the embedded registry requires (HTTP basic auth); unset: none. */
    public static final String REGISTRY_BASIC_AUTH_USER_INFO = "registry.basic.auth.user.info";
    /** What the local stack's HTTP APIs bind to unless configured: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    /** The keys docs/configuration.md requires, with their defaults (null: no default). */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(BOOTSTRAP_SERVERS, null);
        d.put(SCHEMA_REGISTRY_URL, null);
        d.put(DATA_DIR, "./var");
        d.put(INGEST_PORT, "8080");
        d.put(QUERY_PORT, "8090");
        d.put(REGISTRY_PORT, "8081");
        d.put(BROKER_PORT, "9092");
        d.put(LATE_HORIZON, "P7D");
        d.put(CLOCK_SKEW_TOLERANCE, "PT5M");
        d.put(PROCESSING_GUARANTEE, "exactly_once_v2");
        d.put(COMMIT_INTERVAL_MS, "100");
        d.put(TOPIC_PREFIX, "");
        d.put(APPLICATION_ID, "engage");
        d.put(INSTANCE_ID, null);
        d.put(INGEST_RATE_LIMIT, "20000");
        d.put(INGEST_PUBLISHERS, "4");
        d.put(INGEST_ACK_TIMEOUT, "PT30S");
        d.put(QUERY_ADVERTISED_HOST, "localhost");
        d.put(INGEST_BIND_ADDRESS, "0.0.0.0");
        d.put(QUERY_BIND_ADDRESS, "0.0.0.0");
        d.put(INGEST_TLS_KEYSTORE, null);
        d.put(INGEST_TLS_KEYSTORE_PASSWORD, null);
        d.put(QUERY_TLS_KEYSTORE, null);
        d.put(QUERY_TLS_KEYSTORE_PASSWORD, null);
        d.put(REGISTRY_BASIC_AUTH_USER_INFO, null);
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;
    private final Map<String, String> sources;

    private EngageConfig(Map<String, String> values, Map<String, String> sources) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
        validate();
    }

    /** The defaults only. */
    public static EngageConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /** Defaults overridden by the given values (tests, embedded use). */
    public static EngageConfig of(Map<String, String> overrides) {
        return load(null, Map.of(), overrides);
    }

    /**
     * Loads the configuration: defaults, then {@code file} (may be null), then {@code env} (only
     * {@code ENGAGE_*} entries are read), then {@code flags}.
     */
    public static EngageConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        DEFAULTS.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
                sources.put(k, "default");
            }
        });
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
            for (String k : p.stringPropertyNames()) {
                put(values, sources, k.trim(), p.getProperty(k).trim(), "file " + file);
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String key = keyForEnv(e.getKey(), values);
            if (key != null) {
                put(values, sources, key, e.getValue(), "environment " + e.getKey());
            }
        }
        flags.forEach((k, v) -> {
            if (v != null) {
                put(values, sources, k, v, "flag");
            }
        });
        return new EngageConfig(values, sources);
    }

    private static void put(
            Map<String, String> values, Map<String, String> sources, String key, String value, String source) {
        if (!isKnownKey(key)) {
            throw new ConfigException("unknown configuration key '" + key + "' (from " + source + "); known keys: "
                    + String.join(", ", DEFAULTS.keySet())
                    + ", kafka.*, schema.registry.*, basic.auth.*, auth.token.*");
        }
        values.put(key, value);
        sources.put(key, source);
    }

    private static boolean isKnownKey(String key) {
        return DEFAULTS.containsKey(key)
                || key.startsWith(KAFKA_PREFIX)
                || key.startsWith("schema.registry.")
                || key.startsWith("basic.auth.")
                || key.startsWith("auth.token.");
    }

    /** The environment variable for {@code key}: {@code ENGAGE_} + upper case with '.' and '-' as '_'. */
    public static String envName(String key) {
        return "ENGAGE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key an {@code ENGAGE_*} variable sets, or null when it is not ours. */
    static String keyForEnv(String envName, Map<String, String> current) {
        if (!envName.startsWith("ENGAGE_")) {
            return null;
        }
        for (String k : DEFAULTS.keySet()) {
            if (envName(k).equals(envName)) {
                return k;
            }
        }
        for (String k : current.keySet()) {
            if (envName(k).equals(envName)) {
                return k;
            }
        }
        String rest = envName.substring("ENGAGE_".length()).toLowerCase(Locale.ROOT);
        for (String prefix : List.of("kafka_", "schema_registry_", "basic_auth_", "auth_token_")) {
            if (rest.startsWith(prefix)) {
                return rest.replace('_', '.');
            }
        }
        return null; // e.g. ENGAGE_JAVA_OPTS, read by the launcher
    }

    private void validate() {
        for (String port : List.of(INGEST_PORT, QUERY_PORT, REGISTRY_PORT, BROKER_PORT)) {
            int p = intValue(port);
            if (p < 0 || p > 65535) {
                throw invalid(port, "a port between 0 and 65535 (0 picks a free port)");
            }
        }
        duration(LATE_HORIZON);
        duration(INGEST_ACK_TIMEOUT);
        if (intValue(INGEST_RATE_LIMIT) < 1) {
            throw invalid(INGEST_RATE_LIMIT, "a positive number of readings per second");
        }
        if (intValue(INGEST_PUBLISHERS) < 1 || intValue(INGEST_PUBLISHERS) > 64) {
            throw invalid(INGEST_PUBLISHERS, "between 1 and 64");
        }
        duration(CLOCK_SKEW_TOLERANCE);
        String guarantee = get(PROCESSING_GUARANTEE);
        if (!List.of("exactly_once_v2", "at_least_once").contains(guarantee)) {
            throw invalid(PROCESSING_GUARANTEE, "exactly_once_v2 or at_least_once");
        }
        if (longValue(COMMIT_INTERVAL_MS) < 0) {
            throw invalid(COMMIT_INTERVAL_MS, "a non-negative number of milliseconds");
        }
        if (!get(TOPIC_PREFIX).matches("[a-zA-Z0-9._-]*")) {
            throw invalid(TOPIC_PREFIX, "letters, digits, '.', '_' and '-' only");
        }
        if (get(DATA_DIR).isBlank()) {
            throw invalid(DATA_DIR, "a directory path");
        }
    }

    private ConfigException invalid(String key, String expected) {
        return new ConfigException(
                "invalid " + key + "='" + values.get(key) + "' (from " + sources.get(key) + "): expected " + expected);
    }

    /** The value of {@code key}, or null when unset. */
    public String get(String key) {
        return values.get(key);
    }

    /** The value of {@code key} if set and not blank. */
    public Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /**
     * The configuration with the HTTP APIs bound to the loopback interface unless {@code ingest.bind.address} or
     * {@code query.bind.address} was set (the local stack and the demo serve this machine only).
     */
    public EngageConfig withLoopbackUnlessSet() {
        Map<String, String> loopback = new LinkedHashMap<>();
        for (String key : List.of(INGEST_BIND_ADDRESS, QUERY_BIND_ADDRESS)) {
            if ("default".equals(source(key)) || get(key) == null) {
                loopback.put(key, LOOPBACK);
            }
        }
        return loopback.isEmpty() ? this : with(loopback);
    }

    /** Where the value of {@code key} came from (default, file, environment, flag). */
    public String source(String key) {
        return sources.getOrDefault(key, "unset");
    }

    public int intValue(String key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw invalid(key, "an integer");
        }
    }

    public long longValue(String key) {
        try {
            return Long.parseLong(get(key).trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw invalid(key, "an integer");
        }
    }

    public Duration duration(String key) {
        try {
            Duration d = Duration.parse(get(key).trim());
            if (d.isNegative()) {
                throw invalid(key, "a non-negative ISO-8601 duration such as P7D or PT5M");
            }
            return d;
        } catch (DateTimeParseException | NullPointerException e) {
            throw invalid(key, "an ISO-8601 duration such as P7D or PT5M");
        }
    }

    public Optional<String> bootstrapServers() {
        return optional(BOOTSTRAP_SERVERS);
    }

    public Optional<String> schemaRegistryUrl() {
        return optional(SCHEMA_REGISTRY_URL);
    }

    public Path dataDir() {
        return Path.of(get(DATA_DIR));
    }

    public String topicPrefix() {
        return get(TOPIC_PREFIX);
    }

    public Duration lateHorizon() {
        return duration(LATE_HORIZON);
    }

    public Duration clockSkewTolerance() {
        return duration(CLOCK_SKEW_TOLERANCE);
    }

    public String processingGuarantee() {
        return get(PROCESSING_GUARANTEE);
    }

    /**
     * This instance's stable name: {@code instance.id} if set, else the host name and the given port (the port
     * tells apart instances on one host and stays the same across restarts of one).
     */
    public String instanceId(String portKey) {
        return optional(INSTANCE_ID).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName() + "-" + get(portKey);
            } catch (UnknownHostException e) {
                return "engage-" + get(portKey);
            }
        });
    }

    /**
     * {@link #instanceId(String)} when it is stable across restarts: {@code instance.id} is set, or the port is fixed
     * (not 0, which picks a free port on each start).
     */
    public Optional<String> stableInstanceId(String portKey) {
        if (optional(INSTANCE_ID).isEmpty() && intValue(portKey) == 0) {
            return Optional.empty();
        }
        return Optional.of(instanceId(portKey));
    }

    /** The {@code kafka.*} settings with the prefix removed, for Kafka clients. */
    public Map<String, Object> kafkaPassThrough() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                out.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return out;
    }

    /** Settings for the registry client and serdes: the URL plus {@code schema.registry.*} and {@code basic.auth.*}. */
    public Map<String, Object> registryClientConfigs() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** A copy with some keys replaced (e.g. the embedded broker's address once it has started). */
    public EngageConfig with(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> s = new LinkedHashMap<>(sources);
        overrides.forEach((k, val) -> {
            v.put(k, val);
            s.put(k, "runtime");
        });
        return new EngageConfig(v, s);
    }

    /** Every key and value, secrets masked, for printing. */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, isSecret(k) ? "********" : v));
        return out;
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("token")
                || k.contains("user.info")
                || k.contains("sasl.jaas");
    }

    @Override
    public String toString() {
        return "EngageConfig" + describe();
    }
}
