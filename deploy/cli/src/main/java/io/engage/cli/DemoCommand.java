package io.engage.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.engage.avro.NormalizedReading;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.ingest.simulator.HttpReadingSink;
import io.engage.ingest.simulator.Pace;
import io.engage.ingest.simulator.Population;
import io.engage.ingest.simulator.SimulationSpec;
import io.engage.ingest.simulator.SimulationSummary;
import io.engage.ingest.simulator.Simulator;
import io.engage.schemas.serde.WireFormat;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./engage demo}: the local stack with the ingest process; a simulated programme is set up through the admin
 * API and its devices send readings through the gateway API; the demo waits until the normalisation topology has
 * decided every accepted reading and prints what happened. Later issues grow it into the full pipeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the local stack with simulated participants, print a summary and exit.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--fresh", description = "Wipe the data directory first.")
    boolean fresh;

    @Option(names = "--participants", defaultValue = "40", description = "Simulated participants (default ${DEFAULT-VALUE}).")
    int participants;

    @Option(names = "--days", defaultValue = "3", description = "Days of simulated data, ending now (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "2026", description = "Simulation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EngageConfig base = options.resolve();
        out.println("engage demo: starting the local stack (data in " + base.dataDir().toAbsolutePath().normalize() + ")");
        out.flush();
        try (LocalStack stack = LocalStack.start(base, fresh).startIngest().startStreams()) {
            EngageConfig config = stack.config();
            String api = "http://localhost:" + stack.ingest().port();
            out.printf("  Kafka             %s%s%n", config.bootstrapServers().orElseThrow(), stack.embeddedKafka() ? " (embedded KRaft)" : "");
            out.printf("  Schema Registry   %s%s%n", config.schemaRegistryUrl().orElseThrow(), stack.embeddedRegistry() ? " (embedded)" : "");
            out.printf("  topics            %d created, %d already present; %d schema subjects%n",
                    stack.topics().created().size(), stack.topics().existing().size(), stack.subjects().size());
            out.printf("  gateway/admin API %s%n", api);
            out.printf("  query API         http://localhost:%d%n", stack.streams().port());
            out.flush();

            String programId = "prog-demo-" + seed;
            SimulationSpec simulation = SimulationSpec.builder().seed(seed).participants(participants)
                    .teams(Math.max(1, participants / 8)).programId(programId).endingAt(Instant.now(), days)
                    .pace(Pace.asFastAsPossible()).lateHorizon(config.lateHorizon())
                    .clockSkewTolerance(config.clockSkewTolerance()).build();
            Population population = Population.of(simulation);
            int records = new ReferenceDataPublisher(api, stack.tokens().first(ApiTokens.Role.admin).orElseThrow())
                    .publish(population);
            out.printf("  admin API         programme %s, %d teams, %d participants, %d devices (%d records)%n", programId,
                    population.teams().size(), population.participants().size(), population.devices().size(), records);
            out.flush();
            Thread.sleep(1000); // the normaliser's reference stores follow the compacted topics

            Map<TopicPartition, Long> from = endOffsets(config);
            SimulationSummary sim;
            try (HttpReadingSink sink = HttpReadingSink.builder(URI.create(api),
                    stack.tokens().first(ApiTokens.Role.gateway).orElseThrow()).concurrency(32).build()) {
                sim = Simulator.builder(simulation).population(population).progressInterval(Duration.ofSeconds(5)).build()
                        .run(sink, p -> {
                            out.println("  ... " + p.line());
                            out.flush();
                        });
            }
            out.printf("  gateway           %,d readings sent in %,d device syncs: %,d accepted, %,d rejected at the gateway %s%n",
                    sim.sent(), sim.batches(), sim.accepted(), sim.rejectedTotal(), new TreeMap<>(sim.rejected()));
            out.flush();

            Downstream d = downstream(config, from, sim.accepted());
            Map<RejectReason, Long> all = new EnumMap<>(RejectReason.class);
            sim.rejected().forEach((k, v) -> all.merge(k, v, Long::sum));
            d.rejected().forEach((k, v) -> all.merge(k, v, Long::sum));
            out.printf("  normalised        %,d readings on readings.normalized (read_committed)%n", d.normalized());
            out.printf("  dead-lettered     %,d readings on readings.rejected %s%n", d.rejectedTotal(), new TreeMap<>(d.rejected()));
            out.printf("  rejected, all     %s%n", new TreeMap<>(all));
            out.printf("  expected          %,d normalised, %s%n", sim.expectedNormalized(), new TreeMap<>(sim.expectedRejected()));
            out.printf("  wire format       %,d of %,d records checked start with magic byte 0 and a registered schema id%n",
                    d.wireOk(), d.normalized() + d.rejectedTotal());
            out.flush();
            boolean ok = d.normalized() + d.rejectedTotal() == sim.accepted() && d.wireOk() == d.normalized() + d.rejectedTotal()
                    && sim.failed() == 0;
            if (!ok) {
                throw new UserException("demo check failed: " + sim.accepted() + " readings accepted, but "
                        + d.normalized() + " normalised and " + d.rejectedTotal() + " dead-lettered downstream");
            }
            out.println("  normalisation     every accepted reading was normalised or dead-lettered exactly once");
            out.flush();
            EngagementSummary.print(config, stack, population, from, out);
            out.println("engage demo: done");
            out.flush();
        }
        return 0;
    }

    record Downstream(long normalized, Map<RejectReason, Long> rejected, long wireOk) {
        long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, TopicCatalogue catalogue) {
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : List.of(catalogue.name(Topics.READINGS_NORMALIZED), catalogue.name(Topics.READINGS_REJECTED))) {
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
        }
        return tps;
    }

    private static KafkaConsumer<String, byte[]> consumer(EngageConfig config) {
        return new KafkaConsumer<>(KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<TopicPartition, Long> endOffsets(EngageConfig config) {
        try (KafkaConsumer<String, byte[]> c = consumer(config)) {
            return c.endOffsets(partitions(c, new TopicCatalogue(config.topicPrefix())), Duration.ofSeconds(30));
        }
    }

    /** Reads what the normaliser wrote since {@code from} until {@code expected} records arrived (or 3 minutes). */
    private static Downstream downstream(EngageConfig config, Map<TopicPartition, Long> from, long expected) {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        Serde<NormalizedReading> normalizedSerde = serdes.valueSerde(Topics.READINGS_NORMALIZED);
        Serde<RejectedReading> rejectedSerde = serdes.valueSerde(Topics.READINGS_REJECTED);
        String normalizedTopic = catalogue.name(Topics.READINGS_NORMALIZED);
        long normalized = 0;
        long wireOk = 0;
        Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
        try (KafkaConsumer<String, byte[]> c = consumer(config)) {
            List<TopicPartition> tps = partitions(c, catalogue);
            c.assign(tps);
            tps.forEach(tp -> c.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (normalized + rejected.values().stream().mapToLong(Long::longValue).sum() < expected
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    byte[] v = r.value();
                    if (v != null && v.length > 5 && v[0] == WireFormat.MAGIC_BYTE) {
                        int id = ByteBuffer.wrap(v, 1, 4).getInt();
                        if (serdes.client().getById(id) != null) {
                            wireOk++;
                        }
                    }
                    if (r.topic().equals(normalizedTopic)) {
                        normalizedSerde.deserializer().deserialize(r.topic(), v);
                        normalized++;
                    } else {
                        rejected.merge(rejectedSerde.deserializer().deserialize(r.topic(), v).getReason(), 1L, Long::sum);
                    }
                }
            }
        }
        return new Downstream(normalized, rejected, wireOk);
    }
}
