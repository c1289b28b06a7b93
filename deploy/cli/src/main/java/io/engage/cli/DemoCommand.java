package io.engage.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.Participant;
import io.engage.avro.Preferences;
import io.engage.avro.Program;
import io.engage.avro.RawReading;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.serde.WireFormat;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./engage demo}: starts the local stack, publishes a small programme with sample readings through the
 * Confluent-format serde, reads them back and prints a summary. Later issues grow it into the full pipeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the local stack with sample data, print a summary and exit.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--fresh", description = "Wipe the data directory first.")
    boolean fresh;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EngageConfig base = options.resolve();
        out.println("engage demo: starting the local stack (data in " + base.dataDir().toAbsolutePath().normalize() + ")");
        out.flush();
        try (LocalStack stack = LocalStack.start(base, fresh)) {
            EngageConfig config = stack.config();
            out.printf("  Kafka             %s%s%n", config.bootstrapServers().orElseThrow(), stack.embeddedKafka() ? " (embedded KRaft)" : "");
            out.printf("  Schema Registry   %s%s%n", config.schemaRegistryUrl().orElseThrow(), stack.embeddedRegistry() ? " (embedded)" : "");
            out.printf("  topics            %d created, %d already present%n", stack.topics().created().size(), stack.topics().existing().size());
            out.printf("  schemas           %d subjects registered%n", stack.subjects().size());
            out.flush();
            DemoRun run = new DemoRun(config, out);
            run.publishAndReadBack();
            out.println("engage demo: done");
            out.flush();
        }
        return 0;
    }

    /** One run of the sample data through Kafka. */
    static final class DemoRun {
        private final EngageConfig config;
        private final PrintWriter out;
        private final TopicCatalogue catalogue;
        private final TopicSerdes serdes;

        DemoRun(EngageConfig config, PrintWriter out) {
            this.config = config;
            this.out = out;
            this.catalogue = new TopicCatalogue(config.topicPrefix());
            this.serdes = new TopicSerdes(config.registryClientConfigs());
        }

        void publishAndReadBack() throws InterruptedException, ExecutionException, TimeoutException {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String rawTopic = catalogue.name(Topics.READINGS_RAW);
            Map<TopicPartition, Long> startOffsets = endOffsets(rawTopic);

            List<RawReading> readings = sampleReadings(now);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    KafkaClientConfigs.producer(config, "engage-demo"),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                publish(producer, Topics.PROGRAMS, "prog-study", program());
                publish(producer, Topics.PARTICIPANTS, "p-0001", participant("p-0001", "Europe/Amsterdam", now));
                publish(producer, Topics.PARTICIPANTS, "p-0002", participant("p-0002", "Asia/Kathmandu", now));
                publish(producer, Topics.DEVICES, "trk-0001", device("trk-0001", "p-0001", DeviceType.tracker, now));
                publish(producer, Topics.DEVICES, "gls-0001", device("gls-0001", "p-0001", DeviceType.glasses, now));
                publish(producer, Topics.DEVICES, "trk-0002", device("trk-0002", "p-0002", DeviceType.tracker, now));
                for (RawReading r : readings) {
                    publish(producer, Topics.READINGS_RAW, r.getDeviceId(), r);
                }
                producer.flush();
            }
            out.printf("  published         1 programme, 2 participants, 3 devices, %d readings (acks=all, idempotent)%n", readings.size());
            out.flush();

            List<ConsumerRecord<String, byte[]>> back = readBack(rawTopic, startOffsets, readings.size());
            int expectedId = serdes.client().lookup(rawTopic + "-value", RawReading.getClassSchema()).id();
            Serde<RawReading> serde = serdes.valueSerde(Topics.READINGS_RAW);
            Map<String, Integer> byMetric = new TreeMap<>();
            int wireOk = 0;
            for (ConsumerRecord<String, byte[]> rec : back) {
                byte[] bytes = rec.value();
                if (bytes[0] == WireFormat.MAGIC_BYTE && ByteBuffer.wrap(bytes, 1, 4).getInt() == expectedId) {
                    wireOk++;
                }
                RawReading r = serde.deserializer().deserialize(rawTopic, bytes);
                byMetric.merge(r.getMetric(), 1, Integer::sum);
            }
            out.printf("  read back         %d of %d readings from %s (read_committed)%n", back.size(), readings.size(), rawTopic);
            out.printf("  wire format       %d of %d records start with magic byte 0 and schema id %d%n", wireOk, back.size(), expectedId);
            out.printf("  by metric         %s%n", byMetric);
            out.flush();
            if (back.size() != readings.size() || wireOk != back.size()) {
                throw new UserException("demo check failed: read back " + back.size() + " of " + readings.size()
                        + " readings, " + wireOk + " in the expected wire format");
            }
        }

        private <K, V> void publish(KafkaProducer<byte[], byte[]> producer, TopicSpec<K, V> spec, K key, V value)
                throws InterruptedException, ExecutionException, TimeoutException {
            String topic = catalogue.name(spec);
            byte[] k = serdes.keySerde(spec).serializer().serialize(topic, key);
            byte[] v = serdes.valueSerde(spec).serializer().serialize(topic, value);
            producer.send(new ProducerRecord<>(topic, k, v)).get(60, TimeUnit.SECONDS);
        }

        private Map<TopicPartition, Long> endOffsets(String topic) {
            try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                List<TopicPartition> tps = partitions(consumer, topic);
                return new HashMap<>(consumer.endOffsets(tps, Duration.ofSeconds(30)));
            }
        }

        private List<ConsumerRecord<String, byte[]>> readBack(String topic, Map<TopicPartition, Long> from, int expected) {
            List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                List<TopicPartition> tps = partitions(consumer, topic);
                consumer.assign(tps);
                for (TopicPartition tp : tps) {
                    consumer.seek(tp, from.getOrDefault(tp, 0L));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (got.size() < expected && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
            }
            return got;
        }

        private KafkaConsumer<String, byte[]> consumer() {
            return new KafkaConsumer<>(KafkaClientConfigs.consumer(config, null),
                    new StringDeserializer(), new ByteArrayDeserializer());
        }

        private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                tps.add(new TopicPartition(topic, p.partition()));
            }
            return tps;
        }

        static List<RawReading> sampleReadings(Instant now) {
            List<RawReading> out = new ArrayList<>();
            OffsetDateTime hour = now.atOffset(ZoneOffset.ofHours(1)).truncatedTo(ChronoUnit.HOURS).minusHours(3);
            for (int h = 0; h < 3; h++) {
                OffsetDateTime s = hour.plusHours(h);
                OffsetDateTime e = s.plusHours(1);
                out.add(reading("trk-0001", "steps", 900 + 150 * h, "steps", s, e, now));
                out.add(reading("gls-0001", "steps", 850 + 140 * h, "count", s, e, now));
                out.add(reading("trk-0001", "distance", 0.7 + 0.1 * h, "km", s, e, now));
                out.add(reading("trk-0001", "heart_rate", 72 + 4 * h, "bpm", s, s, now));
            }
            OffsetDateTime k = now.atOffset(ZoneOffset.ofHoursMinutes(5, 45)).truncatedTo(ChronoUnit.HOURS).minusHours(2);
            out.add(reading("trk-0002", "steps", 2400, "steps", k, k.plusHours(1), now));
            out.add(reading("trk-0002", "active_minutes", 0.5, "h", k, k.plusHours(1), now));
            out.add(reading("trk-0002", "calories", 420, "kJ", k, k.plusHours(1), now));
            return out;
        }

        private static RawReading reading(String device, String metric, double value, String unit,
                                          OffsetDateTime start, OffsetDateTime end, Instant now) {
            return RawReading.newBuilder().setDeviceId(device).setMetric(metric).setValue(value).setUnit(unit)
                    .setStart(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start))
                    .setEnd(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(end))
                    .setSourceRecordId(device + ":" + metric + ":" + start.toEpochSecond())
                    .setReceivedAt(now).setGatewayId("demo").build();
        }

        private static Program program() {
            return Program.newBuilder().setProgramId("prog-study").setName("Vision for steps (demo)")
                    .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
        }

        private static Participant participant(String id, String zone, Instant now) {
            return Participant.newBuilder().setParticipantId(id).setProgramId("prog-study").setTimezone(zone)
                    .setConsent(true).setPreferences(Preferences.newBuilder().build()).setUpdatedAt(now).build();
        }

        private static Device device(String id, String participant, DeviceType type, Instant now) {
            return Device.newBuilder().setDeviceId(id).setParticipantId(participant).setType(type).setPairedAt(now).build();
        }
    }
}
