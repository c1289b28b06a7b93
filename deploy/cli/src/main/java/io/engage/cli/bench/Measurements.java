package io.engage.cli.bench;

import io.engage.avro.DailyActivity;
import io.engage.config.EngageConfig;
import io.engage.config.StreamsDefaults;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The bench's measurements, one method per phase, with the heap sampled throughout. The caller owns the broker,
 * the registry and the engage processes; this class owns what it starts for a phase (consumers, the count app).
 */
public final class Measurements implements AutoCloseable {
    /** Application id of the trivial count, (b). */
    public static final String COUNT_APPLICATION_ID = "engage-bench-count";

    /** Application id of (b)'s cold pass, its untimed first pass over the whole input on topics of its own. */
    public static final String COUNT_COLD_APPLICATION_ID = "engage-bench-count-cold";

    /** Untimed passes of the whole input before (a): the clients' and the broker's code is still compiling after one. */
    public static final int WARMUP_PASSES = 2;

    /** Timed passes of (a); the median is reported (a pass takes a second or two, so one pass is at the mercy of a GC). */
    public static final int BASELINE_PASSES = 5;

    /** What every phase uses: the resolved configuration and the shared clients. */
    public record Context(
            EngageConfig config,
            Admin admin,
            Producer<byte[], byte[]> producer,
            Map<String, Object> consumerConfigs,
            Duration timeout) {}

    private final HeapSampler heap = new HeapSampler();
    private long baselineConsumed;
    private double[] baselinePasses = new double[0];
    private long countSum;

    /** Attributes heap samples from now on to {@code name}. */
    public void phase(String name) {
        heap.phase(name);
    }

    /**
     * (a) Produce the input to {@code topic} while a {@code read_committed} consumer reads it, {@value #BASELINE_PASSES}
     * times; returns the median pass. First, {@value #WARMUP_PASSES} untimed passes of the whole input over
     * {@code scratch} warm up the clients and the broker: (a) comes first in the run and is the denominator of every
     * ratio, so it must not carry the JVM's warm-up.
     */
    public Throughput baseline(
            Context ctx, String scratch, String topic, List<BenchRecord> input, int warmup, Consumer<String> progress) {
        progress.accept(WARMUP_PASSES + " untimed passes over the whole input to warm up the clients and the broker");
        try (RecordCounter counter = new RecordCounter(ctx.consumerConfigs(), scratch)) {
            for (int pass = 0; pass < WARMUP_PASSES; pass++) {
                long before = counter.count();
                new ThroughputRun(ctx.producer(), scratch, ctx.timeout(), line -> {})
                        .run(input, 0, (sent, timeout, p) -> counter.awaitVisible(before + sent, timeout, p));
            }
        }
        List<Throughput> passes = new java.util.ArrayList<>();
        try (RecordCounter counter = new RecordCounter(ctx.consumerConfigs(), topic)) {
            baselineConsumed = Long.MAX_VALUE;
            for (int pass = 0; pass < BASELINE_PASSES; pass++) {
                long before = counter.count();
                Visibility afterEarlierPasses = (sent, timeout, p) -> counter.awaitVisible(before + sent, timeout, p);
                Throughput t = new ThroughputRun(ctx.producer(), topic, ctx.timeout(), progress)
                        .run(input, warmup, afterEarlierPasses);
                passes.add(t);
                baselineConsumed = Math.min(baselineConsumed, counter.count() - before);
                progress.accept(String.format("pass %d: %,.0f readings/s", pass + 1, t.perSecond()));
            }
        }
        baselinePasses = passes.stream().mapToDouble(Throughput::perSecond).toArray();
        return passes.stream()
                .sorted(java.util.Comparator.comparingDouble(Throughput::perSecond))
                .toList()
                .get(passes.size() / 2);
    }

    /**
     * (a), consumer side alone: reads {@code records} records of {@code topic} from the beginning,
     * {@value #BASELINE_PASSES} times; the median rate in records/s.
     */
    public double consumeOnly(Context ctx, String topic, long records) {
        double[] rates = new double[BASELINE_PASSES];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = consumeOnce(ctx, topic, records);
        }
        java.util.Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static double consumeOnce(Context ctx, String topic, long records) {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(ctx.consumerConfigs(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = Partitions.of(c, topic);
            c.assign(tps);
            c.seekToBeginning(tps);
            tps.forEach(c::position);
            long start = System.nanoTime();
            long n = 0;
            long deadline = start + ctx.timeout().toNanos();
            while (n < records && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> r = c.poll(Duration.ofMillis(100));
                n += r.count();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return seconds > 0 ? n / seconds : 0;
        }
    }

    /**
     * (b) The trivial exactly-once count over the same input, produced to {@code input}, as application
     * {@code applicationId} ({@link #COUNT_APPLICATION_ID} for the timed pass, {@link #COUNT_COLD_APPLICATION_ID}
     * for the cold pass before it); the sum of its final counts is kept for the checks.
     */
    public Throughput count(
            Context ctx,
            String applicationId,
            String input,
            String output,
            List<BenchRecord> records,
            int warmup,
            Consumer<String> progress) {
        Properties props = StreamsDefaults.properties(ctx.config(), applicationId);
        TopicSerdes serdes = new TopicSerdes(ctx.config().registryClientConfigs());
        KafkaStreams streams = new KafkaStreams(
                CountTopology.build(
                        input, output, serdes.valueSerde(Topics.READINGS_RAW).deserializer()),
                props);
        Throughput t;
        try {
            streams.start();
            awaitRunning(streams, "the count application");
            CommittedOffsets visible = new CommittedOffsets(
                    ctx.admin(), List.of(new CommittedOffsets.Stage("count", applicationId, input)));
            t = new ThroughputRun(ctx.producer(), input, ctx.timeout(), progress).run(records, warmup, visible);
        } finally {
            streams.close(Duration.ofSeconds(30)); // (c) must not share the cores with it
        }
        countSum = reader(ctx).sumOfLatestLongs(output);
        return t;
    }

    /**
     * The pipeline's visibility: the normaliser caught up on {@code readings.raw}, then the engagement application on
     * {@code readings.normalized}, then on each of its repartition topics (the donation ledger's sub-topology).
     */
    static CommittedOffsets pipelineVisibility(
            Context ctx, String raw, String normalizerId, String normalized, String engagementId) {
        List<CommittedOffsets.Stage> stages = new java.util.ArrayList<>(List.of(
                new CommittedOffsets.Stage("normaliser", normalizerId, raw),
                new CommittedOffsets.Stage("engagement", engagementId, normalized)));
        for (String topic : repartitionTopics(ctx.admin(), engagementId)) {
            stages.add(new CommittedOffsets.Stage("engagement", engagementId, topic));
        }
        return new CommittedOffsets(ctx.admin(), stages);
    }

    /** The internal repartition topics of an application, sorted by name. */
    static List<String> repartitionTopics(Admin admin, String applicationId) {
        try {
            return admin.listTopics().names().get(10, java.util.concurrent.TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-repartition"))
                    .sorted()
                    .toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (Exception e) {
            throw new BenchException("cannot list the topics: " + e, e);
        }
    }

    /** (c) The engage pipeline: the input produced to {@code readings.raw}. */
    public Throughput pipeline(
            Context ctx,
            String raw,
            String normalizerId,
            String normalized,
            String engagementId,
            List<BenchRecord> input,
            int warmup,
            Consumer<String> progress) {
        return new ThroughputRun(ctx.producer(), raw, ctx.timeout(), progress)
                .run(input, warmup, pipelineVisibility(ctx, raw, normalizerId, normalized, engagementId));
    }

    /**
     * Per-stage breakdown: the normaliser alone, then the engagement application alone over its output, on the
     * namespace {@code stage} (fresh topics and application ids, already provisioned) with the reference data copied
     * from {@code referenceTopics} (run's topic to the namespace's). See {@link StageBreakdown}.
     */
    public BenchReport.Stages stages(
            Context ctx,
            EngageConfig stage,
            Map<String, String> referenceTopics,
            List<BenchRecord> input,
            int warmup,
            Consumer<String> progress) {
        return new StageBreakdown(ctx, stage, progress).run(referenceTopics, input, warmup);
    }

    /** The paced phase: fresh readings at {@code rate}; {@code rawSent} readings went to {@code readings.raw} before. */
    public Latency latency(
            Context ctx,
            String raw,
            String normalizerId,
            String normalized,
            String engagementId,
            String daily,
            Deserializer<DailyActivity> dailyDeserializer,
            List<BenchRecord> paced,
            double rate,
            long rawSent,
            Consumer<String> progress) {
        return new PacedLatency(
                        ctx.producer(),
                        raw,
                        ctx.consumerConfigs(),
                        daily,
                        dailyDeserializer,
                        pipelineVisibility(ctx, raw, normalizerId, normalized, engagementId),
                        topic -> CommittedOffsets.endOffsets(ctx.admin(), topic),
                        progress)
                .run(paced, rate, rawSent, ctx.timeout());
    }

    TopicReader reader(Context ctx) {
        return new TopicReader(ctx.consumerConfigs());
    }

    /** Records on {@code topic} ({@code read_committed}, from the beginning). */
    public long records(Context ctx, String topic) {
        return reader(ctx).count(List.of(topic));
    }

    /** Distinct keys on {@code topic} ({@code read_committed}, from the beginning). */
    public long distinctKeys(Context ctx, String topic) {
        return reader(ctx).distinctKeys(topic);
    }

    public long changelogBytes(Context ctx, String prefix) {
        return StateSize.changelogBytes(ctx.admin(), prefix);
    }

    public long directoryBytes(Path dir) {
        return StateSize.directoryBytes(dir);
    }

    public long baselineConsumed() {
        return baselineConsumed;
    }

    /** Readings per second of each timed pass of (a). */
    public double[] baselinePasses() {
        return baselinePasses.clone();
    }

    public long countSum() {
        return countSum;
    }

    public BenchReport.Heap heap() {
        return new BenchReport.Heap(heap.peak(), heap.peaks(), HeapSampler.poolPeaks(), heap.max());
    }

    static void awaitRunning(KafkaStreams streams, String what) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new BenchException(what + " did not start: " + streams.state());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        heap.close();
    }
}
