package io.engage.ingest;

import io.engage.config.ApiTokens;
import io.engage.config.ConfigException;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.config.StreamsDefaults;
import io.engage.http.ProcessMetrics;
import io.engage.ingest.http.AdminService;
import io.engage.ingest.http.GatewayService;
import io.engage.ingest.http.IngestHttpServer;
import io.engage.ingest.http.RateLimiter;
import io.engage.ingest.normalize.DevicePairing;
import io.engage.ingest.normalize.NormalizationTopology;
import io.engage.ingest.publish.BatchPublisher;
import io.engage.ingest.publish.TransactionalPublisher;
import io.engage.ingest.validation.ReadingValidator;
import io.engage.ingest.validation.ValidationPolicy;
import io.engage.processing.ReferenceReadiness;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process: the gateway and admin HTTP API in front of Kafka, and the validation and normalisation
 * topology ({@code readings.raw} to {@code readings.normalized} or {@code readings.rejected}). Runtime wiring only
 * (clients, HTTP, metrics); the rules live in {@link ReadingValidator}, the services and the topology.
 */
public final class IngestProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestProcess.class);

    private final IngestHttpServer http;
    private final TransactionalPublisher publisher;
    private final BatchPublisher gatewayPublisher;
    private final Admin admin;
    private final ProcessMetrics processMetrics;
    private final PrometheusMeterRegistry metrics;
    private final KafkaStreams normalizer;
    private final AtomicLong lastHealthy = new AtomicLong();
    private volatile boolean closed;

    private IngestProcess(
            IngestHttpServer http,
            TransactionalPublisher publisher,
            BatchPublisher gatewayPublisher,
            Admin admin,
            ProcessMetrics processMetrics,
            KafkaStreams normalizer) {
        this.normalizer = normalizer;
        this.http = http;
        this.publisher = publisher;
        this.gatewayPublisher = gatewayPublisher;
        this.admin = admin;
        this.processMetrics = processMetrics;
        this.metrics = processMetrics.registry();
    }

    /** Starts the API on {@code ingest.port}; {@code bootstrap.servers} and {@code schema.registry.url} are required. */
    public static IngestProcess start(EngageConfig config, ApiTokens tokens, Clock clock) {
        return start(config, tokens, clock, true);
    }

    /**
     * Starts the HTTP API alone, without the normalisation topology: readings are published to {@code readings.raw}
     * and wait there. For measuring the gateway path by itself (the bench's phase (h)); ready while Kafka answers.
     */
    public static IngestProcess startGatewayOnly(EngageConfig config, ApiTokens tokens, Clock clock) {
        return start(config, tokens, clock, false);
    }

    private static IngestProcess start(EngageConfig config, ApiTokens tokens, Clock clock, boolean withNormalizer) {
        if (config.bootstrapServers().isEmpty()) {
            throw new ConfigException("the ingest process needs bootstrap.servers");
        }
        if (config.schemaRegistryUrl().isEmpty()) {
            throw new ConfigException("the ingest process needs schema.registry.url");
        }
        if (!tokens.configured(ApiTokens.Role.gateway) || !tokens.configured(ApiTokens.Role.admin)) {
            throw new ConfigException("the ingest process needs tokens: set auth.token.gateway and auth.token.admin"
                    + " (at least 16 characters each)");
        }
        ProcessMetrics processMetrics = new ProcessMetrics();
        PrometheusMeterRegistry metrics = processMetrics.registry();
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        Duration ackTimeout = config.duration(EngageConfig.INGEST_ACK_TIMEOUT);
        TransactionalPublisher publisher = new TransactionalPublisher(
                config,
                config.instanceId(EngageConfig.INGEST_PORT),
                config.intValue(EngageConfig.INGEST_PUBLISHERS),
                Duration.ZERO, // a full queue answers 503 at once (docs/ingest.md)
                ackTimeout,
                metrics);
        // the gateway's requests: one producer batch each, without a transaction; the admin API's writes (an erasure
        // is two topics) and requests too large for one batch use the transactions above (docs/ingest.md)
        BatchPublisher gatewayPublisher = new BatchPublisher(
                config,
                config.instanceId(EngageConfig.INGEST_PORT),
                config.intValue(EngageConfig.INGEST_PUBLISHERS),
                Duration.ZERO, // a full queue answers 503 at once (docs/ingest.md)
                ackTimeout,
                publisher,
                metrics);
        Map<String, Object> adminProps = KafkaClientConfigs.admin(config);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        Admin admin = Admin.create(adminProps);
        IngestProcess[] self = new IngestProcess[1];
        KafkaStreams normalizer = !withNormalizer
                ? null
                : new KafkaStreams(
                        NormalizationTopology.build(config, metrics),
                        StreamsDefaults.withStaticMembership(
                                NormalizationTopology.streamsProperties(config),
                                config.stableInstanceId(EngageConfig.INGEST_PORT)));
        // A registry outage fails the task on purpose (good readings must not be dead-lettered); the thread is
        // replaced and resumes from the last commit.
        if (normalizer != null) {
            normalizer.setUncaughtExceptionHandler(e -> {
                LOG.warn("normalizer stream thread failed, replacing it: {}", e.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(normalizer).bindTo(metrics);
        }
        try {
            GatewayService gateway = new GatewayService(
                    new ReadingValidator(ValidationPolicy.from(config)),
                    gatewayPublisher,
                    catalogue,
                    serdes,
                    clock,
                    metrics);
            AdminService adminService = new AdminService(
                    publisher,
                    catalogue,
                    serdes,
                    clock,
                    name -> tokens.names(ApiTokens.Role.gateway).contains(name));
            RateLimiter limiter = new RateLimiter(config.intValue(EngageConfig.INGEST_RATE_LIMIT), System::nanoTime);
            IngestHttpServer http = IngestHttpServer.start(
                    config.get(EngageConfig.INGEST_BIND_ADDRESS),
                    config.intValue(EngageConfig.INGEST_PORT),
                    io.engage.http.Tls.of(config, "ingest"),
                    new IngestHttpServer.Dependencies(
                            gateway,
                            adminService,
                            tokens,
                            limiter,
                            metrics,
                            () -> self[0] != null && self[0].kafkaReachable(),
                            deviceId -> boundGateway(normalizer, deviceId)));
            if (normalizer != null) {
                normalizer.start();
            }
            self[0] = new IngestProcess(http, publisher, gatewayPublisher, admin, processMetrics, normalizer);
            LOG.info("ingest API listening on port {}", http.port());
            return self[0];
        } catch (RuntimeException e) {
            if (normalizer != null) {
                normalizer.close(Duration.ofSeconds(10));
            }
            gatewayPublisher.close();
            publisher.close();
            admin.close(Duration.ZERO);
            processMetrics.close();
            throw e;
        }
    }

    /**
     * The gateway a device is bound to, from the normaliser's pairings (null: unbound, unknown, or no normaliser in
     * this process; the normaliser checks the binding again when it processes the reading).
     */
    private static String boundGateway(KafkaStreams normalizer, String deviceId) {
        if (normalizer == null) {
            return null;
        }
        try {
            org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, DevicePairing> pairings =
                    normalizer.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                            NormalizationTopology.DEVICE_PAIRINGS_STORE,
                            org.apache.kafka.streams.state.QueryableStoreTypes.keyValueStore()));
            DevicePairing p = pairings.get(deviceId);
            return p == null ? null : p.gateway();
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException notYet) {
            return null;
        }
    }

    /** Ready: the normalizer (if any) is RUNNING and Kafka answered a metadata request in the last few seconds. */
    boolean kafkaReachable() {
        if (closed || (normalizer != null && normalizer.state() != KafkaStreams.State.RUNNING)) {
            return false;
        }
        long now = System.nanoTime();
        if (now - lastHealthy.get() < TimeUnit.SECONDS.toNanos(2)) {
            return true;
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes()
                    .get(3, TimeUnit.SECONDS);
            lastHealthy.set(now);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The port the HTTP API listens on. */
    public int port() {
        return http.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * A read-only view of one of the normaliser's stores ({@link NormalizationTopology#DEVICE_PAIRINGS_STORE}, {@link
     * NormalizationTopology#CONSENT_PROFILES_STORE}), for diagnostics and the erasure test.
     */
    public org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Object> normalizerStore(String name) {
        if (normalizer == null) {
            throw new IllegalStateException("no normaliser in this process");
        }
        return normalizer.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                name, org.apache.kafka.streams.state.QueryableStoreTypes.keyValueStore()));
    }

    /** The normalizer's Kafka Streams state. */
    public KafkaStreams.State normalizerState() {
        return normalizer == null ? KafkaStreams.State.NOT_RUNNING : normalizer.state();
    }

    /**
     * The normaliser's view of the reference data (device pairings and consent profiles, global stores following
     * {@code devices} and {@code participants}), for {@link ReferenceReadiness}.
     */
    public ReferenceReadiness.View referenceView() {
        return new ReferenceReadiness.View() {
            @Override
            public String name() {
                return "normaliser";
            }

            @Override
            public Set<ReferenceReadiness.Kind> kinds() {
                return Set.of(ReferenceReadiness.Kind.DEVICE, ReferenceReadiness.Kind.PARTICIPANT);
            }

            @Override
            public int leadingPresent(ReferenceReadiness.Kind kind, List<String> ids) {
                try {
                    return prefixPresent(
                            kind == ReferenceReadiness.Kind.DEVICE
                                    ? NormalizationTopology.DEVICE_PAIRINGS_STORE
                                    : NormalizationTopology.CONSENT_PROFILES_STORE,
                            ids);
                } catch (InvalidStateStoreException e) {
                    return 0; // not running (yet)
                }
            }
        };
    }

    private int prefixPresent(String store, List<String> ids) {
        if (normalizer == null) {
            throw new InvalidStateStoreException("no normalizer in this process");
        }
        ReadOnlyKeyValueStore<String, Object> s = normalizer.store(
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore()));
        return ReferenceReadiness.leadingPresent(s, ids);
    }

    @Override
    public void close() {
        closed = true;
        http.close();
        if (normalizer != null) {
            normalizer.close(Duration.ofSeconds(30));
        }
        gatewayPublisher.close();
        publisher.close();
        admin.close(Duration.ofSeconds(5));
        processMetrics.close();
    }
}
