package io.engage.cli;

import io.engage.config.EngageConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration flags every command shares; they override the file and the environment. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with configuration keys.")
    Path configFile;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOSTS",
            description =
                    "Kafka bootstrap servers (bootstrap.servers). Without it, local commands start an embedded broker.")
    String bootstrapServers;

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL",
            description =
                    "Schema Registry URL (schema.registry.url). Without it, local commands start the embedded registry.")
    String schemaRegistryUrl;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory of the local stack (data.dir, default ./var).")
    String dataDir;

    @Option(
            names = "--ingest-port",
            paramLabel = "PORT",
            description = "Gateway/admin API port (ingest.port, default 8080).")
    String ingestPort;

    @Option(names = "--query-port", paramLabel = "PORT", description = "Query API port (query.port, default 8090).")
    String queryPort;

    @Option(
            names = "--registry-port",
            paramLabel = "PORT",
            description = "Embedded registry port (registry.port, default 8081).")
    String registryPort;

    @Option(
            names = "--broker-port",
            paramLabel = "PORT",
            description = "Embedded broker port (broker.port, default 9092).")
    String brokerPort;

    @Option(
            names = "--late-horizon",
            paramLabel = "DURATION",
            description = "How late a reading may arrive (late.horizon, ISO-8601, default P7D).")
    String lateHorizon;

    @Option(
            names = "--clock-skew-tolerance",
            paramLabel = "DURATION",
            description = "Allowed future skew of readings (clock.skew.tolerance, default PT5M).")
    String clockSkewTolerance;

    @Option(
            names = "--processing-guarantee",
            paramLabel = "G",
            description = "exactly_once_v2 (default) or at_least_once.")
    String processingGuarantee;

    @Option(
            names = "--commit-interval-ms",
            paramLabel = "MS",
            description = "Kafka Streams commit interval (commit.interval.ms).")
    String commitIntervalMs;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Prefix of every topic name (topic.prefix).")
    String topicPrefix;

    @Option(
            names = {"-D", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Any configuration key, e.g. -D kafka.security.protocol=SSL.")
    Map<String, String> extra = new LinkedHashMap<>();

    /** Resolves the configuration: defaults, file, ENGAGE_* environment, then these flags. */
    public EngageConfig resolve() {
        return resolve(System.getenv());
    }

    EngageConfig resolve(Map<String, String> env) {
        Map<String, String> flags = new LinkedHashMap<>(extra);
        put(flags, EngageConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        put(flags, EngageConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        put(flags, EngageConfig.DATA_DIR, dataDir);
        put(flags, EngageConfig.INGEST_PORT, ingestPort);
        put(flags, EngageConfig.QUERY_PORT, queryPort);
        put(flags, EngageConfig.REGISTRY_PORT, registryPort);
        put(flags, EngageConfig.BROKER_PORT, brokerPort);
        put(flags, EngageConfig.LATE_HORIZON, lateHorizon);
        put(flags, EngageConfig.CLOCK_SKEW_TOLERANCE, clockSkewTolerance);
        put(flags, EngageConfig.PROCESSING_GUARANTEE, processingGuarantee);
        put(flags, EngageConfig.COMMIT_INTERVAL_MS, commitIntervalMs);
        put(flags, EngageConfig.TOPIC_PREFIX, topicPrefix);
        return EngageConfig.load(configFile, env, flags);
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
