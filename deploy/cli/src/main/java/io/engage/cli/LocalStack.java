package io.engage.cli;

import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.ingest.IngestProcess;
import io.engage.ingest.normalize.NormalizationTopology;
import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.topics.SchemaProvisioner;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementTopology;
import io.engage.streams.StreamsProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The infrastructure of {@code ./engage local} and {@code ./engage demo}: an embedded broker (unless
 * {@code bootstrap.servers} names a cluster), the embedded registry (unless {@code schema.registry.url} is set),
 * the catalogue's topics and the registered schemas.
 */
final class LocalStack implements AutoCloseable {
    private final EngageConfig config;
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final TopicProvisioner.Result topics;
    private final Map<String, Integer> subjects;
    private final Path dataDir;
    private ApiTokens tokens;
    private IngestProcess ingest;
    private StreamsProcess streams;

    private LocalStack(
            EngageConfig config,
            EmbeddedKafka kafka,
            EmbeddedSchemaRegistry registry,
            TopicProvisioner.Result topics,
            Map<String, Integer> subjects,
            Path dataDir) {
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
        this.topics = topics;
        this.subjects = subjects;
        this.dataDir = dataDir;
    }

    static LocalStack start(EngageConfig base, boolean fresh) {
        return start(base, fresh, new java.util.Properties());
    }

    /** With settings for the embedded broker (when one is started). */
    static LocalStack start(EngageConfig base, boolean fresh, java.util.Properties brokerOverrides) {
        Path dataDir = DataDirectory.prepare(base.dataDir(), fresh);
        EmbeddedKafka kafka = null;
        EmbeddedSchemaRegistry registry = null;
        try {
            Map<String, String> resolved = new LinkedHashMap<>();
            resolved.put(EngageConfig.DATA_DIR, dataDir.toString());
            if (base.bootstrapServers().isEmpty()) {
                kafka = EmbeddedKafka.start(dataDir, base.intValue(EngageConfig.BROKER_PORT), brokerOverrides);
                resolved.put(EngageConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            }
            EngageConfig withKafka = base.with(resolved);
            TopicCatalogue catalogue = new TopicCatalogue(withKafka.topicPrefix());
            // Topics first, so the registry finds _schemas with the catalogue's settings.
            TopicProvisioner.Result topics;
            try (Admin admin = Admin.create(KafkaClientConfigs.admin(withKafka))) {
                topics = new TopicProvisioner(admin, catalogue).createMissing();
                if (kafka != null && kafka.startedAfterUncleanStop()) {
                    // a kill -9 of the stack (broker included) could leave a transaction nothing will complete
                    String normalizer = NormalizationTopology.applicationId(withKafka) + "-";
                    String engagement = EngagementTopology.applicationId(withKafka) + "-";
                    HangingTransactionRecovery.abortAll(
                            admin, id -> id.startsWith(normalizer) || id.startsWith(engagement));
                }
            }
            if (withKafka.schemaRegistryUrl().isEmpty()) {
                String userInfo = withKafka.get(EngageConfig.REGISTRY_BASIC_AUTH_USER_INFO);
                registry = EmbeddedSchemaRegistry.start(
                        withKafka.bootstrapServers().orElseThrow(),
                        withKafka.intValue(EngageConfig.REGISTRY_PORT),
                        catalogue.name(Topics.SCHEMAS),
                        Map.of(),
                        userInfo);
                resolved.put(EngageConfig.SCHEMA_REGISTRY_URL, registry.url());
                if (userInfo != null
                        && withKafka.get("basic.auth.user.info") == null
                        && withKafka.get("basic.auth.credentials.source") == null) {
                    // the stack's own clients present the credentials the registry requires
                    resolved.put("basic.auth.credentials.source", "USER_INFO");
                    resolved.put("basic.auth.user.info", userInfo);
                }
            }
            // the local stack serves this machine: its HTTP APIs listen on the loopback interface unless configured
            EngageConfig config = base.with(resolved).withLoopbackUnlessSet();
            SchemaRegistryClient client = SchemaRegistryClients.forConfig(config.registryClientConfigs());
            Map<String, Integer> subjects = new SchemaProvisioner(client, catalogue).registerAll();
            return new LocalStack(config, kafka, registry, topics, subjects, dataDir);
        } catch (RuntimeException e) {
            closeQuietly(registry);
            closeQuietly(kafka);
            throw e;
        }
    }

    /**
     * Starts the ingest process (gateway and admin API on {@code ingest.port}) with the local stack's tokens:
     * configured {@code auth.token.*} values, else those in {@code data.dir/tokens.json} (generated on first use).
     */
    LocalStack startIngest() {
        ingest = IngestProcess.start(config, tokens(), java.time.Clock.systemUTC());
        return this;
    }

    /** Starts the streams process (engagement topology and query API on {@code query.port}); after {@link #startIngest()}. */
    LocalStack startStreams() {
        streams = StreamsProcess.start(config, tokens(), java.time.Clock.systemUTC());
        return this;
    }

    StreamsProcess streams() {
        return streams;
    }

    /** The local stack's API tokens (configured, else those in {@code data.dir/tokens.json}, generated on first use). */
    ApiTokens tokens() {
        if (tokens == null) {
            tokens = ApiTokens.localStack(config, dataDir);
        }
        return tokens;
    }

    /**
     * A second set of engage topics and applications on this stack's broker and registry: the configuration with
     * {@code topic.prefix} and {@code application.id} replaced, after creating the catalogue's topics under the prefix
     * and registering their schemas. Used by the bench to run applications on fresh topics in the same run.
     */
    EngageConfig namespace(String topicPrefix, String applicationId) {
        EngageConfig scoped =
                config.with(Map.of(EngageConfig.TOPIC_PREFIX, topicPrefix, EngageConfig.APPLICATION_ID, applicationId));
        TopicCatalogue catalogue = new TopicCatalogue(topicPrefix);
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(scoped))) {
            new TopicProvisioner(admin, catalogue).createMissing();
        }
        new SchemaProvisioner(SchemaRegistryClients.forConfig(scoped.registryClientConfigs()), catalogue).registerAll();
        return scoped;
    }

    IngestProcess ingest() {
        return ingest;
    }

    /** The configuration with the embedded services' addresses filled in. */
    EngageConfig config() {
        return config;
    }

    TopicProvisioner.Result topics() {
        return topics;
    }

    Map<String, Integer> subjects() {
        return subjects;
    }

    Path dataDir() {
        return dataDir;
    }

    boolean embeddedKafka() {
        return kafka != null;
    }

    boolean embeddedRegistry() {
        return registry != null;
    }

    @Override
    public void close() {
        closeQuietly(streams);
        closeQuietly(ingest);
        closeQuietly(registry);
        closeQuietly(kafka);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("engage: while stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
