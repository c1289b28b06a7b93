package io.engage.cli.bench;

import io.engage.cli.TopicToEnd;
import io.engage.config.EngageConfig;
import io.engage.config.StreamsDefaults;
import io.engage.ingest.normalize.NormalizationTopology;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Each engage application alone, on a namespace of fresh topics (another {@code topic.prefix} and
 * {@code application.id}) holding a byte-for-byte copy of the run's reference data, over the same input bytes as
 * (a), (b) and (c):
 *
 * <ol>
 *   <li>the normaliser starts (its global stores are restored from the copied topics before it reports RUNNING);
 *       the warm-up readings go to {@code readings.raw} and the bench waits until its committed offsets cover them;
 *   <li>the engagement application starts (its global stores, the profiles among them, are restored before it
 *       reports RUNNING), processes the warm-up's normalised records, and is closed cleanly: its warm-up;
 *   <li>the clock starts and the timed readings go to {@code readings.raw}; the normaliser's clock stops when its
 *       committed offsets reach the end of {@code readings.raw} (the engagement application is not running);
 *   <li>the normaliser is closed; {@code readings.normalized} now holds the normalised timed readings as a backlog;
 *       the engagement application starts again, and its clock runs from RUNNING (tasks assigned, stores open) until
 *       its committed offsets reach the end of {@code readings.normalized} and of its repartition topic.
 * </ol>
 */
final class StageBreakdown {
    private final Measurements.Context ctx;
    private final EngageConfig stage;
    private final Consumer<String> progress;
    private final String raw;
    private final String normalized;
    private final String rejected;
    private final String normalizerId;
    private final String engagementId;

    StageBreakdown(Measurements.Context ctx, EngageConfig stage, Consumer<String> progress) {
        this.ctx = ctx;
        this.stage = stage;
        this.progress = progress;
        TopicCatalogue topics = new TopicCatalogue(stage.topicPrefix());
        raw = topics.name(Topics.READINGS_RAW);
        normalized = topics.name(Topics.READINGS_NORMALIZED);
        rejected = topics.name(Topics.READINGS_REJECTED);
        normalizerId = NormalizationTopology.applicationId(stage);
        engagementId = EngagementTopology.applicationId(stage);
    }

    /** {@code referenceTopics}: each topic of the run's reference data and its name in the stage namespace. */
    BenchReport.Stages run(Map<String, String> referenceTopics, List<BenchRecord> input, int warmup) {
        long copied = 0;
        for (Map.Entry<String, String> e : referenceTopics.entrySet()) {
            copied += copy(e.getKey(), e.getValue());
        }
        progress.accept(String.format(
                "copied %,d reference records to %s*; starting the normaliser alone", copied, stage.topicPrefix()));
        TopicReader reader = new TopicReader(ctx.consumerConfigs());
        long[] warmupNormalized = {0};
        Throughput normalizer;
        KafkaStreams n = start(
                new KafkaStreams(
                        NormalizationTopology.build(stage),
                        StreamsDefaults.withStaticMembership(
                                NormalizationTopology.streamsProperties(stage), Optional.of(normalizerId))),
                "the normaliser");
        try {
            Visibility normaliserCaughtUp = new CommittedOffsets(
                    ctx.admin(), List.of(new CommittedOffsets.Stage("normaliser", normalizerId, raw)));
            normalizer = new ThroughputRun(ctx.producer(), raw, ctx.timeout(), progress)
                    .run(input, warmup, normaliserCaughtUp, () -> {
                        warmupNormalized[0] = reader.count(List.of(normalized));
                        progress.accept(String.format(
                                "warming up the engagement application on the %,d normalised"
                                        + " warm-up readings, then stopping it",
                                warmupNormalized[0]));
                        KafkaStreams e = start(engagement(null), "the engagement application");
                        try {
                            engagementCaughtUp().awaitVisible(0, ctx.timeout(), progress);
                        } finally {
                            e.close(Duration.ofSeconds(30));
                        }
                        progress.accept("timed: the normaliser alone");
                    });
        } finally {
            n.close(Duration.ofSeconds(30));
        }
        progress.accept(String.format("normaliser alone: %,.0f readings/s", normalizer.perSecond()));
        long normalizedTotal = reader.count(List.of(normalized));
        long rejectedTotal = reader.count(List.of(rejected));

        progress.accept(String.format(
                "timed: the engagement application alone over a backlog of %,d normalised readings",
                normalizedTotal - warmupNormalized[0]));
        JitSettle.await(progress);
        AtomicLong runningAt = new AtomicLong();
        long started = System.nanoTime();
        KafkaStreams e = start(engagement(runningAt), "the engagement application");
        Throughput engagement;
        try {
            long visible = engagementCaughtUp().awaitVisible(0, ctx.timeout(), progress);
            engagement = Throughput.of(
                    normalizedTotal - warmupNormalized[0],
                    warmupNormalized[0],
                    runningAt.get(),
                    visible,
                    runningAt.get());
        } finally {
            e.close(Duration.ofSeconds(30));
        }
        progress.accept(String.format(
                "engagement alone: %,.0f normalised readings/s (%.1f s from start() to RUNNING)",
                engagement.perSecond(), (runningAt.get() - started) / 1e9));
        return new BenchReport.Stages(
                normalizer, engagement, (runningAt.get() - started) / 1e9, copied, normalizedTotal, rejectedTotal);
    }

    /** The engagement application of the stage namespace; {@code runningAt} receives when it first reports RUNNING. */
    private KafkaStreams engagement(AtomicLong runningAt) {
        // static membership, as a deployment with a stable instance id has: the restart rejoins at once, instead of
        // waiting for the closed member's session to time out
        KafkaStreams e = new KafkaStreams(
                EngagementTopology.build(stage),
                StreamsDefaults.withStaticMembership(
                        EngagementTopology.streamsProperties(stage), Optional.of(engagementId)));
        if (runningAt != null) {
            e.setStateListener((next, previous) -> {
                if (next == KafkaStreams.State.RUNNING) {
                    runningAt.compareAndSet(0, System.nanoTime());
                }
            });
        }
        return e;
    }

    /** The engagement application caught up on {@code readings.normalized} and its repartition topics. */
    private CommittedOffsets engagementCaughtUp() {
        List<CommittedOffsets.Stage> stages = new ArrayList<>();
        stages.add(new CommittedOffsets.Stage("engagement", engagementId, normalized));
        for (String topic : Measurements.repartitionTopics(ctx.admin(), engagementId)) {
            stages.add(new CommittedOffsets.Stage("engagement", engagementId, topic));
        }
        return new CommittedOffsets(ctx.admin(), stages);
    }

    /** Starts {@code streams} as the engage processes do (a failed stream thread is replaced) and waits until RUNNING. */
    private static KafkaStreams start(KafkaStreams streams, String what) {
        streams.setUncaughtExceptionHandler(
                e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
        streams.start();
        try {
            Measurements.awaitRunning(streams, what);
        } catch (RuntimeException e) {
            streams.close(Duration.ofSeconds(30));
            throw e;
        }
        return streams;
    }

    /** Copies every committed record of {@code from} to the same partition of {@code to}, timestamps kept. */
    private long copy(String from, String to) {
        AtomicReference<Exception> error = new AtomicReference<>();
        long[] n = {0};
        try {
            TopicToEnd.read(ctx.consumerConfigs(), from, Duration.ofMinutes(2), r -> {
                ctx.producer()
                        .send(
                                new ProducerRecord<>(to, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()),
                                (md, ex) -> {
                                    if (ex != null) {
                                        error.compareAndSet(null, ex);
                                    }
                                });
                n[0]++;
            });
        } catch (IllegalStateException e) {
            throw new BenchException(e.getMessage());
        }
        ctx.producer().flush();
        if (error.get() != null) {
            throw new BenchException("copying " + from + " to " + to + " failed: " + error.get(), error.get());
        }
        return n[0];
    }
}
