package io.engage.cli;

import io.engage.avro.Metric;
import io.engage.avro.Program;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.processing.ReferenceReadiness;
import io.engage.schemas.serde.WireFormat;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.simulator.HttpReadingSink;
import io.engage.simulator.KafkaReadingSink;
import io.engage.simulator.Pace;
import io.engage.simulator.Population;
import io.engage.simulator.SimulationSpec;
import io.engage.simulator.SimulationSummary;
import io.engage.simulator.Simulator;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./engage demo}: the whole pipeline on one machine. The local stack (embedded KRaft broker, registry, ingest
 * and streams processes) runs a simulated programme like the study's: the programme, teams, participants and devices
 * are set up through the admin API, then weeks of device readings are replayed into {@code readings.raw} (compressed
 * in time: each reading carries its simulated reception time) or, for a few recent days, sent through the gateway API.
 * The demo waits until every accepted reading was normalised or dead-lettered and the engagement topology and the
 * donation ledger caught up, checks the results, and prints the summary.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the local stack with a simulated programme, print a summary and exit.")
final class DemoCommand implements Callable<Integer> {
    /** How long the published reference data may take to reach both applications' stores. */
    private static final Duration REFERENCE_DATA_TIMEOUT = Duration.ofMinutes(2);

    /** Where the simulated readings go. */
    enum Target {
        /** Straight to readings.raw with simulated reception times: weeks of history in minutes. */
        kafka,
        /** Through the gateway API, which stamps its own clock: only the last days fit the late horizon. */
        http
    }

    @Mixin
    ConfigOptions options;

    @Option(names = "--fresh", description = "Wipe the data directory first.")
    boolean fresh;

    @Option(
            names = "--participants",
            defaultValue = "300",
            description = "Simulated participants (default ${DEFAULT-VALUE}).")
    int participants;

    @Option(names = "--teams", description = "Teams (default: one per 10 participants).")
    Integer teams;

    @Option(
            names = "--days",
            defaultValue = "84",
            description = "Days of simulated data, ending today (default ${DEFAULT-VALUE}, 12 weeks).")
    int days;

    @Option(names = "--seed", defaultValue = "2026", description = "Simulation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--target",
            defaultValue = "kafka",
            description =
                    "kafka (readings.raw, compressed time) or http (gateway API, days within the late horizon); default ${DEFAULT-VALUE}.")
    Target target;

    @Option(
            names = "--all-metrics",
            description = "Simulate every metric (default: steps and active minutes, what goals and points use).")
    boolean allMetrics;

    @Option(
            names = "--budget",
            defaultValue = "1000",
            description = "The programme's donation budget (default ${DEFAULT-VALUE}).")
    int budget;

    @Option(
            names = "--points-per-donation",
            defaultValue = "100",
            description = "Points per donation (default ${DEFAULT-VALUE}).")
    int pointsPerDonation;

    @Option(
            names = "--team-steps-per-donation",
            defaultValue = "5000000",
            description = "Team steps per team donation (default ${DEFAULT-VALUE}).")
    long teamStepsPerDonation;

    @Spec
    CommandSpec spec;

    /**
     * The demo replays weeks of history in minutes. Its embedded broker defers retention checks while it runs, so that
     * readings older than {@code readings.raw}'s 7-day retention are processed before they are deleted; the next
     * {@code ./engage local} on the same data directory applies retention as usual.
     */
    static Properties brokerOverrides() {
        Properties p = new Properties();
        p.put("log.initial.task.delay.ms", String.valueOf(TimeUnit.HOURS.toMillis(6)));
        p.put("log.retention.check.interval.ms", String.valueOf(TimeUnit.HOURS.toMillis(6)));
        return p;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EngageConfig base = options.resolve();
        if (target == Target.http && days >= base.lateHorizon().toDays()) {
            throw new UserException(
                    "--target http sends through the gateway, which stamps its own clock: --days must be"
                            + " below the late horizon (" + base.lateHorizon().toDays()
                            + " days); use --target kafka for history");
        }
        long started = System.nanoTime();
        out.println("engage demo: starting the local stack (data in "
                + base.dataDir().toAbsolutePath().normalize() + ")");
        out.flush();
        try (LocalStack stack =
                LocalStack.start(base, fresh, brokerOverrides()).startIngest().startStreams()) {
            runOn(stack, out);
            out.printf(
                    "engage demo: done in %s%n",
                    Duration.ofNanos(System.nanoTime() - started).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            out.flush();
        }
        return 0;
    }

    /**
     * The demo on a started stack (ingest and streams running): reference data, simulated readings, the checked
     * summary. The stack stays up afterwards; {@link #call()} closes it.
     */
    void runOn(LocalStack stack, PrintWriter out) throws Exception {
        EngageConfig config = stack.config();
        String api = "http://localhost:" + stack.ingest().port();
        String queryApi = "http://localhost:" + stack.streams().port();
        out.printf(
                "  Kafka             %s%s%n",
                config.bootstrapServers().orElseThrow(), stack.embeddedKafka() ? " (embedded KRaft)" : "");
        out.printf(
                "  Schema Registry   %s%s%n",
                config.schemaRegistryUrl().orElseThrow(), stack.embeddedRegistry() ? " (embedded)" : "");
        out.printf(
                "  topics            %d created, %d already present; %d schema subjects%n",
                stack.topics().created().size(),
                stack.topics().existing().size(),
                stack.subjects().size());
        out.printf("  gateway/admin API %s%n", api);
        out.printf("  query API         %s%n", queryApi);
        out.flush();

        String programId = "prog-demo-" + seed;
        SimulationSpec simulation = SimulationSpec.builder()
                .seed(seed)
                .participants(participants)
                .teams(teams != null ? teams : Math.max(1, participants / 10))
                .programId(programId)
                .endingAt(Instant.now(), days)
                .pace(Pace.asFastAsPossible())
                .lateHorizon(config.lateHorizon())
                .clockSkewTolerance(config.clockSkewTolerance())
                .metrics(allMetrics ? EnumSet.allOf(Metric.class) : EnumSet.of(Metric.steps, Metric.active_minutes))
                .build();
        Population population = Population.of(simulation);
        Program program = Program.newBuilder(population.program())
                .setDonationBudget(budget)
                .setPointsPerDonation(pointsPerDonation)
                .setTeamStepsPerDonation(teamStepsPerDonation)
                .build();
        int records = new ReferenceDataPublisher(
                        api, stack.tokens().first(ApiTokens.Role.admin).orElseThrow())
                .publish(population, program);
        out.printf(
                "  admin API         programme %s (budget %,d, %d points per donation), %d teams, %d participants,"
                        + " %d devices (%d records)%n",
                programId,
                budget,
                pointsPerDonation,
                population.teams().size(),
                population.participants().size(),
                population.devices().size(),
                records);
        out.flush();
        // a reading sent before its device pairing reaches the normaliser would be dead-lettered
        ReferenceReadiness.await(
                ReferenceDataPublisher.ids(population, program),
                List.of(stack.ingest().referenceView(), stack.streams().referenceView()),
                REFERENCE_DATA_TIMEOUT,
                message -> {
                    out.println("  " + message);
                    out.flush();
                });

        Map<TopicPartition, Long> from = endOffsets(config);
        SimulationSummary sim = simulate(simulation, population, stack, api, out);
        out.printf(
                "  readings sent     %,d readings in %,d device syncs (%s): %,d accepted, %,d rejected at the gateway %s%n",
                sim.sent(),
                sim.batches(),
                target == Target.kafka ? "readings.raw, simulated reception times" : "gateway API",
                sim.accepted(),
                sim.rejectedTotal(),
                new TreeMap<>(sim.rejected()));
        out.flush();

        Downstream d = downstream(config, from, sim.accepted(), new ProgressBar(out, "normalising"));
        Map<RejectReason, Long> all = new EnumMap<>(RejectReason.class);
        sim.rejected().forEach((k, v) -> all.merge(k, v, Long::sum));
        d.rejected().forEach((k, v) -> all.merge(k, v, Long::sum));
        out.printf("  normalised        %,d readings on readings.normalized (read_committed)%n", d.normalized());
        out.printf(
                "  dead-lettered     %,d readings on readings.rejected %s%n",
                d.rejectedTotal(), new TreeMap<>(d.rejected()));
        out.printf("  rejected, all     %s%n", new TreeMap<>(all));
        out.printf(
                "  expected          %,d normalised, %s%n",
                sim.expectedNormalized(), new TreeMap<>(sim.expectedRejected()));
        out.printf(
                "  wire format       %,d of %,d records checked start with magic byte 0 and a registered schema id%n",
                d.wireOk(), d.normalized() + d.rejectedTotal());
        out.flush();
        boolean ok = d.normalized() + d.rejectedTotal() == sim.accepted()
                && d.wireOk() == d.normalized() + d.rejectedTotal()
                && sim.failed() == 0;
        if (!ok) {
            throw new UserException("demo check failed: " + sim.accepted() + " readings accepted, but " + d.normalized()
                    + " normalised and " + d.rejectedTotal() + " dead-lettered downstream");
        }
        out.println("  normalisation     every accepted reading was normalised or dead-lettered exactly once");
        out.flush();
        SocialSummary.Cheers cheers = SocialSummary.sendCheers(
                population, api, stack.tokens().first(ApiTokens.Role.admin).orElseThrow());
        EngagementSummary.print(config, stack, population, program, cheers, out);
    }

    /** Sends the simulated readings, with a progress bar over simulated time. */
    private SimulationSummary simulate(
            SimulationSpec simulation, Population population, LocalStack stack, String api, PrintWriter out)
            throws Exception {
        Instant begin = simulation.startInstant();
        double span = Math.max(1, Duration.between(begin, Instant.now()).toSeconds());
        ProgressBar bar = new ProgressBar(out, "simulating");
        Simulator simulator = Simulator.builder(simulation)
                .population(population)
                .progressInterval(Duration.ofSeconds(2))
                .build();
        java.util.function.Consumer<io.engage.simulator.Progress> onProgress = p -> bar.update(
                Duration.between(begin, p.simulatedTime()).toSeconds() / span,
                String.format(
                        java.util.Locale.ROOT,
                        "%,d readings, %,.0f/s, simulated %s",
                        p.sent(),
                        p.readingsPerSecond(),
                        LocalDate.ofInstant(p.simulatedTime(), ZoneOffset.UTC)));
        SimulationSummary sim;
        if (target == Target.kafka) {
            try (KafkaReadingSink sink = new KafkaReadingSink(
                    stack.config(), "engage-demo-simulator", KafkaReadingSink.Timestamps.SIMULATED)) {
                sim = simulator.run(sink, onProgress);
            }
        } else {
            try (HttpReadingSink sink = HttpReadingSink.builder(
                            URI.create(api),
                            stack.tokens().first(ApiTokens.Role.gateway).orElseThrow())
                    .concurrency(32)
                    .build()) {
                sim = simulator.run(sink, onProgress);
            }
        }
        bar.done(String.format(java.util.Locale.ROOT, "%,d readings, %,.0f/s", sim.sent(), sim.readingsPerSecond()));
        return sim;
    }

    record Downstream(long normalized, Map<RejectReason, Long> rejected, long wireOk) {
        long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, TopicCatalogue catalogue) {
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic :
                List.of(catalogue.name(Topics.READINGS_NORMALIZED), catalogue.name(Topics.READINGS_REJECTED))) {
            c.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
        }
        return tps;
    }

    private static KafkaConsumer<String, byte[]> consumer(EngageConfig config) {
        return new KafkaConsumer<>(
                KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<TopicPartition, Long> endOffsets(EngageConfig config) {
        try (KafkaConsumer<String, byte[]> c = consumer(config)) {
            return c.endOffsets(partitions(c, new TopicCatalogue(config.topicPrefix())), Duration.ofSeconds(30));
        }
    }

    /**
     * Reads what the normaliser wrote since {@code from} until {@code expected} records arrived; gives up when nothing
     * new arrived for two minutes.
     */
    private static Downstream downstream(
            EngageConfig config, Map<TopicPartition, Long> from, long expected, ProgressBar bar) {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        Serde<RejectedReading> rejectedSerde = serdes.valueSerde(Topics.READINGS_REJECTED);
        String normalizedTopic = catalogue.name(Topics.READINGS_NORMALIZED);
        long normalized = 0;
        long wireOk = 0;
        Map<Integer, Boolean> knownIds = new java.util.HashMap<>();
        Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
        try (KafkaConsumer<String, byte[]> c = consumer(config)) {
            List<TopicPartition> tps = partitions(c, catalogue);
            c.assign(tps);
            tps.forEach(tp -> c.seek(tp, from.getOrDefault(tp, 0L)));
            long lastNews = System.nanoTime();
            long lastDraw = 0;
            long seen = 0;
            while (seen < expected && System.nanoTime() - lastNews < TimeUnit.MINUTES.toNanos(2)) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    lastNews = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    byte[] v = r.value();
                    if (v != null && v.length > 5 && v[0] == WireFormat.MAGIC_BYTE) {
                        int id = ByteBuffer.wrap(v, 1, 4).getInt();
                        if (knownIds.computeIfAbsent(id, i -> {
                            try {
                                return serdes.client().getById(i) != null;
                            } catch (RuntimeException e) {
                                return false;
                            }
                        })) {
                            wireOk++;
                        }
                    }
                    if (r.topic().equals(normalizedTopic)) {
                        normalized++;
                    } else {
                        rejected.merge(
                                rejectedSerde
                                        .deserializer()
                                        .deserialize(r.topic(), v)
                                        .getReason(),
                                1L,
                                Long::sum);
                    }
                }
                seen = normalized
                        + rejected.values().stream().mapToLong(Long::longValue).sum();
                if (System.nanoTime() - lastDraw > TimeUnit.SECONDS.toNanos(2)) {
                    bar.update(
                            expected == 0 ? 1 : seen / (double) expected,
                            String.format(java.util.Locale.ROOT, "%,d of %,d readings decided", seen, expected));
                    lastDraw = System.nanoTime();
                }
            }
            bar.done(String.format(java.util.Locale.ROOT, "%,d of %,d readings decided", seen, expected));
        }
        return new Downstream(normalized, rejected, wireOk);
    }
}
