package io.engage.streams;

import io.engage.config.ApiTokens;
import io.engage.config.ConfigException;
import io.engage.config.EngageConfig;
import io.engage.config.StreamsDefaults;
import io.engage.http.ProcessMetrics;
import io.engage.processing.ReferenceReadiness;
import io.engage.streams.philanthropy.DonationBudgetGauges;
import io.engage.streams.philanthropy.ProgramLedger;
import io.engage.streams.query.KeyOwners;
import io.engage.streams.query.ParticipantQueries;
import io.engage.streams.query.PipelineFeed;
import io.engage.streams.query.PipelineTally;
import io.engage.streams.query.QueryHttpServer;
import io.engage.streams.query.SocialQueries;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams process: the engagement topology (activity, goals, streaks, points) in Kafka Streams with
 * exactly-once, and the query API on {@code query.port} over its state stores. Runtime wiring only.
 */
public final class StreamsProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsProcess.class);

    private final KafkaStreams streams;
    private final QueryHttpServer http;
    private final ProcessMetrics metrics;
    private final PipelineFeed pipeline;

    private final DonationBudgetGauges budgets;

    /**
     * Whether closing leaves the consumer group: with dynamic membership (no stable instance id) a closed instance
     * never comes back as the same member, so it leaves at once and its tasks move without waiting out its session
     * (docs/operations.md, "Deployment"); a static member stays, so a restart gets its tasks back without a rebalance.
     */
    private final boolean leaveOnClose;

    private StreamsProcess(
            KafkaStreams streams,
            QueryHttpServer http,
            PipelineFeed pipeline,
            ProcessMetrics metrics,
            DonationBudgetGauges budgets,
            boolean leaveOnClose) {
        this.leaveOnClose = leaveOnClose;
        this.budgets = budgets;
        this.streams = streams;
        this.http = http;
        this.pipeline = pipeline;
        this.metrics = metrics;
    }

    /** Starts the topology and the query API; {@code bootstrap.servers} and {@code schema.registry.url} are required. */
    public static StreamsProcess start(EngageConfig config, ApiTokens tokens, Clock clock) {
        if (config.bootstrapServers().isEmpty() || config.schemaRegistryUrl().isEmpty()) {
            throw new ConfigException("the streams process needs bootstrap.servers and schema.registry.url");
        }
        if (!tokens.configured(ApiTokens.Role.read)) {
            throw new ConfigException("the streams process needs auth.token.read for its query API");
        }
        ProcessMetrics processMetrics = new ProcessMetrics();
        PrometheusMeterRegistry metrics = processMetrics.registry();
        // The HTTP server starts first so the instance can advertise its real port (application.server) for
        // interactive-query routing; queries reach the streams instance through this holder.
        AtomicReference<KafkaStreams> holder = new AtomicReference<>();
        AtomicReference<KeyOwners> owners = new AtomicReference<>(KeyOwners.LOCAL);
        AtomicReference<HostInfo> self = new AtomicReference<>();
        io.engage.http.Tls tls = io.engage.http.Tls.of(config, "query");
        PipelineTally tally = new PipelineTally();
        QueryHttpServer http = QueryHttpServer.start(
                config.get(EngageConfig.QUERY_BIND_ADDRESS),
                config.intValue(EngageConfig.QUERY_PORT),
                tls,
                new QueryHttpServer.Dependencies(
                        () -> ParticipantQueries.of(holder.get(), clock),
                        () -> SocialQueries.of(holder.get(), self.get()),
                        owners::get,
                        tally,
                        tokens,
                        metrics,
                        () -> holder.get() != null && holder.get().state() == KafkaStreams.State.RUNNING,
                        clock));
        PipelineFeed pipeline = null;
        try {
            pipeline = PipelineFeed.start(config, tally, metrics);
            Properties props = StreamsDefaults.withStaticMembership(
                    EngagementTopology.streamsProperties(config), config.stableInstanceId(EngageConfig.QUERY_PORT));
            self.set(new HostInfo(config.get(EngageConfig.QUERY_ADVERTISED_HOST), http.port()));
            props.put(
                    StreamsConfig.APPLICATION_SERVER_CONFIG,
                    self.get().host() + ":" + self.get().port());
            KafkaStreams streams = new KafkaStreams(EngagementTopology.build(config, metrics), props);
            streams.setUncaughtExceptionHandler(e -> {
                LOG.warn("engagement stream thread failed, replacing it: {}", e.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            new KafkaStreamsMetrics(streams).bindTo(metrics);
            holder.set(streams);
            owners.set(KeyOwners.of(streams, self.get(), io.engage.http.Tls.scheme(tls)));
            streams.start();
            DonationBudgetGauges budgets = new DonationBudgetGauges(
                            metrics,
                            () -> streams.store(StoreQueryParameters.fromNameAndType(
                                    EngagementStores.DONATION_ACCOUNTS,
                                    QueryableStoreTypes.<String, ProgramLedger>keyValueStore())))
                    .start();
            return new StreamsProcess(
                    streams,
                    http,
                    pipeline,
                    processMetrics,
                    budgets,
                    config.stableInstanceId(EngageConfig.QUERY_PORT).isEmpty());
        } catch (RuntimeException e) {
            http.close();
            if (pipeline != null) {
                pipeline.close();
            }
            processMetrics.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * A read-only view of one key-value store of this instance ({@link EngagementStores}: the partitions this instance
     * holds, and the global stores), for diagnostics and the erasure test; keys are strings, values the store's types.
     */
    public org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Object> store(String name) {
        return streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                name, org.apache.kafka.streams.state.QueryableStoreTypes.keyValueStore()));
    }

    /**
     * The engagement application's view of the reference data (programmes, teams and profiles, global stores following
     * {@code programs}, {@code teams} and {@code participants}), for {@link ReferenceReadiness}.
     */
    public ReferenceReadiness.View referenceView() {
        return new ReferenceReadiness.View() {
            @Override
            public String name() {
                return "engagement";
            }

            @Override
            public Set<ReferenceReadiness.Kind> kinds() {
                return Set.of(
                        ReferenceReadiness.Kind.PROGRAM,
                        ReferenceReadiness.Kind.TEAM,
                        ReferenceReadiness.Kind.PARTICIPANT);
            }

            @Override
            public int leadingPresent(ReferenceReadiness.Kind kind, List<String> ids) {
                String name = switch (kind) {
                    case PROGRAM -> EngagementStores.PROGRAMS;
                    case TEAM -> EngagementStores.TEAMS;
                    default -> EngagementStores.PROFILES;
                };
                try {
                    ReadOnlyKeyValueStore<String, Object> store = streams.store(StoreQueryParameters.fromNameAndType(
                            name, QueryableStoreTypes.<String, Object>keyValueStore()));
                    return ReferenceReadiness.leadingPresent(store, ids);
                } catch (InvalidStateStoreException e) {
                    return 0; // not running (yet)
                }
            }
        };
    }

    @Override
    public void close() {
        budgets.close();
        http.close();
        if (leaveOnClose) {
            streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                            org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        } else {
            streams.close(Duration.ofSeconds(30));
        }
        pipeline.close();
        metrics.close();
    }
}
