package io.engage.cli;

import io.engage.cli.bench.BenchException;
import io.engage.cli.bench.Measurements;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.ingest.IngestProcess;
import io.engage.ingest.normalize.NormalizationTopology;
import io.engage.processing.ReferenceReadiness;
import io.engage.simulator.Population;
import io.engage.streams.EngagementTopology;
import io.engage.streams.StreamsProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The engage pipeline (c) of one bench namespace, set up as an operator would: the ingest process (normaliser and
 * admin API) starts, the population goes through the admin API, then the streams process (engagement) starts; it
 * returns once the reference data is visible to both applications. Visible is observed, never assumed after a sleep:
 * the normaliser's global stores hold every device and participant (queried until they do), the engagement
 * application's global stores (programmes, teams) were restored to the end of their topics before it reported
 * RUNNING, and its committed offsets cover every {@code participants} record (the profile store).
 */
final class BenchPipeline implements AutoCloseable {
    /** Requests in flight to the admin API while publishing (its publisher commits concurrent requests together). */
    static final int PUBLISH_CONCURRENCY = 48;

    private final EngageConfig config;
    private final IngestProcess ingest;
    private final StreamsProcess streams;
    private final int referenceRecords;
    private final double publishSeconds;
    private final double readySeconds;

    private BenchPipeline(
            EngageConfig config,
            IngestProcess ingest,
            StreamsProcess streams,
            int referenceRecords,
            double publishSeconds,
            double readySeconds) {
        this.config = config;
        this.ingest = ingest;
        this.streams = streams;
        this.referenceRecords = referenceRecords;
        this.publishSeconds = publishSeconds;
        this.readySeconds = readySeconds;
    }

    static BenchPipeline start(
            EngageConfig config,
            ApiTokens tokens,
            Population population,
            Measurements m,
            Measurements.Context ctx,
            Consumer<String> progress) {
        IngestProcess ingest = IngestProcess.start(config, tokens, Clock.systemUTC());
        StreamsProcess streams = null;
        try {
            await("the normaliser to run", ctx.timeout(), () -> running(ingest.normalizerState(), "the normaliser"));
            progress.accept(String.format(
                    "normaliser running; publishing %,d teams, %,d participants and %,d devices"
                            + " through the admin API",
                    population.teams().size(),
                    population.participants().size(),
                    population.devices().size()));
            long t0 = System.nanoTime();
            int refs = new ReferenceDataPublisher(
                            "http://localhost:" + ingest.port(),
                            tokens.first(ApiTokens.Role.admin).orElseThrow())
                    .publish(population, PUBLISH_CONCURRENCY);
            long t1 = System.nanoTime();
            progress.accept(String.format(
                    "published %,d reference records in %.1f s; starting the engagement application",
                    refs, (t1 - t0) / 1e9));
            // started after the publication: Kafka Streams restores its global stores (programmes, teams, profiles)
            // to the end of their topics before it reports RUNNING
            streams = StreamsProcess.start(config, tokens, Clock.systemUTC());
            StreamsProcess s = streams;
            await(
                    "the engagement application to run",
                    ctx.timeout(),
                    () -> running(s.state(), "the engagement application"));
            try {
                ReferenceReadiness.await(
                        ReferenceDataPublisher.ids(population, population.program()),
                        List.of(ingest.referenceView(), s.referenceView()),
                        ctx.timeout(),
                        progress);
            } catch (ReferenceReadiness.NotReadyException e) {
                throw new BenchException(e.getMessage());
            }
            long t2 = System.nanoTime();
            progress.accept(String.format(
                    "reference data visible to both applications %.1f s after the publication", (t2 - t1) / 1e9));
            return new BenchPipeline(config, ingest, streams, refs, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        } catch (RuntimeException e) {
            if (streams != null) {
                streams.close();
            }
            ingest.close();
            throw e;
        }
    }

    /** Whether an application runs; fails at once when it has stopped on an error instead of waiting out the timeout. */
    private static boolean running(KafkaStreams.State state, String what) {
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            throw new BenchException(what + " stopped on an error (" + state + ")");
        }
        return state == KafkaStreams.State.RUNNING;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new BenchException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
    }

    String normalizerId() {
        return NormalizationTopology.applicationId(config);
    }

    String engagementId() {
        return EngagementTopology.applicationId(config);
    }

    int referenceRecords() {
        return referenceRecords;
    }

    /** From the first admin request to the last answer. */
    double publishSeconds() {
        return publishSeconds;
    }

    /** From the last admin answer until both applications see the reference data (the engagement start included). */
    double readySeconds() {
        return readySeconds;
    }

    /** Stops both processes (the engagement stores flush on close). */
    @Override
    public void close() {
        streams.close();
        ingest.close();
    }
}
