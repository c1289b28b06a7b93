package io.engage.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.avro.RawReading;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ingest.md, "Hostile input": 100,000 generated bad inputs, half as JSON elements through the gateway API (in
 * requests of up to 1,000, some whole bodies broken) and half as bytes straight onto {@code readings.raw} (valid
 * records with bytes flipped, cut short, or with huge declared lengths; random bytes). Every request is answered with a
 * 202 that accounts for each element or a 4xx, never a 5xx; every record the API accepted or that was written to
 * Kafka comes out exactly once, normalised or dead-lettered; and the normaliser is still running.
 */
@Tag("integration")
class HostileInputFuzzIntegrationTest {
    private static final int JSON_INPUTS = 50_000;
    private static final int BYTE_INPUTS = 50_000;

    @TempDir
    Path dir;

    @Test
    void everyBadInputIsAnsweredOrDeadLetteredAndNothingIsLost() throws Exception {
        Random random = new Random(20261201L);
        try (IngestStack stack = new IngestStack(dir, Map.of("ingest.rate.limit", "1000000"))) {
            long accepted = 0;
            int refusedWhole = 0;
            int brokenRefused = 0;
            int brokenSent = 0;
            int sent = 0;
            int request = 0;
            while (sent < JSON_INPUTS) {
                int n = Math.min(JSON_INPUTS - sent, 1 + random.nextInt(300));
                List<String> elements = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    elements.add(badElement(random));
                }
                if (request % 20 == 4) {
                    elements.set(0, "{\"metric\":\"steps\",\"metric\":\"floors\"}"); // ambiguous: refused whole
                }
                String body = "[" + String.join(",", elements) + "]";
                boolean broken = request++ % 10 == 9;
                brokenSent += broken ? 1 : 0;
                if (broken) {
                    body = body.substring(0, random.nextInt(body.length())); // cut anywhere: not JSON any more
                }
                HttpResponse<String> r = stack.post(
                        "/v1/devices/dev-fuzz-" + random.nextInt(20) + "/readings", IngestStack.GATEWAY, body);
                assertThat(r.statusCode()).as(r.body()).isBetween(200, 499);
                if (r.statusCode() == 202) {
                    JsonNode answer = IngestStack.json(r);
                    assertThat(answer.path("accepted").asLong()
                                    + answer.path("rejected").size())
                            .as("every element accounted for")
                            .isEqualTo(n);
                    accepted += answer.path("accepted").asLong();
                } else {
                    // a body that is not JSON, or whose JSON is ambiguous (a field twice in one element), is refused
                    // whole, in the API's error format, and none of it is published
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                    assertThat(IngestStack.json(r).path("error").asText()).isEqualTo("bad_request");
                    refusedWhole++;
                    brokenRefused += broken ? 1 : 0;
                }
                sent += n;
            }

            assertThat(brokenRefused).as("every broken body refused").isEqualTo(brokenSent);
            assertThat(refusedWhole)
                    .as("most bodies answered element by element")
                    .isLessThan(request / 2);

            TopicSerdes serdes = new TopicSerdes(stack.config.registryClientConfigs());
            String raw = stack.catalogue.name(Topics.READINGS_RAW);
            byte[] valid = serdes.valueSerde(Topics.READINGS_RAW).serializer().serialize(raw, validRaw());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    KafkaClientConfigs.producer(stack.config, "fuzz"),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < BYTE_INPUTS; i++) {
                    producer.send(new ProducerRecord<>(raw, "dev-fuzz", badBytes(random, valid)));
                }
                producer.flush();
            }

            long expected = accepted + BYTE_INPUTS;
            long out = awaitOutputs(stack, expected, Duration.ofMinutes(3));
            assertThat(out).as("normalised + dead-lettered, each once").isEqualTo(expected);
            assertThat(stack.send("GET", "/health/ready", null, null, null).statusCode())
                    .as("the normaliser is still running")
                    .isEqualTo(200);
        }
    }

    private static RawReading validRaw() {
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        return RawReading.newBuilder()
                .setDeviceId("dev-fuzz")
                .setMetric("steps")
                .setValue(100)
                .setUnit("steps")
                .setStart(end.minusSeconds(600).toString())
                .setEnd(end.toString())
                .setReceivedAt(end)
                .build();
    }

    private static final String[] FIELDS = {"metric", "value", "unit", "start", "end", "sourceRecordId", "extra"};
    private static final String[] VALUES = {
        "null",
        "true",
        "-1",
        "1e308",
        "-1e308",
        "\"NaN\"",
        "\"Infinity\"",
        "0",
        "\"\"",
        "[]",
        "{}",
        "[[[[[[[[]]]]]]]]",
        "\"steps\"",
        "\"km\"",
        "\"bpm\"",
        "\"2026-13-45T99:99:99Z\"",
        "\"2026-11-20T10:00:00\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "12345678901234567890123",
        "\"\u00e9\u00e8\u4e2d\u6587\"",
        "{\"a\":{\"b\":{\"c\":1}}}"
    };

    /** One JSON element a gateway should not send: broken fields, wrong types, junk, or not an object at all. */
    private static String badElement(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return VALUES[random.nextInt(VALUES.length)];
            case 1:
                return "\"" + "x".repeat(random.nextInt(400)) + "\"";
            default:
                List<String> names = new ArrayList<>(List.of(FIELDS));
                java.util.Collections.shuffle(names, random);
                StringBuilder b = new StringBuilder("{");
                int fields = random.nextInt(FIELDS.length + 1);
                for (int i = 0; i < fields; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    String value = random.nextInt(8) == 0
                            ? "\"" + "y".repeat(random.nextInt(300)) + "\""
                            : VALUES[random.nextInt(VALUES.length)];
                    b.append('"').append(names.get(i)).append("\":").append(value);
                }
                return b.append('}').toString();
        }
    }

    /** Bytes for {@code readings.raw}: a valid record flipped, cut, given a huge length, or random bytes. */
    private static byte[] badBytes(Random random, byte[] valid) {
        switch (random.nextInt(5)) {
            case 0: {
                byte[] b = valid.clone();
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1:
                return java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            case 2: {
                byte[] b = valid.clone();
                // the first field's length (after the 5-byte header) as a large varint
                byte[] huge = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
                byte[] out = new byte[b.length + huge.length];
                System.arraycopy(b, 0, out, 0, 5);
                System.arraycopy(huge, 0, out, 5, huge.length);
                System.arraycopy(b, 6, out, 5 + huge.length, b.length - 6);
                return java.util.Arrays.copyOf(out, out.length - 1);
            }
            case 3: {
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                return b;
            }
            default:
                return random.nextBoolean() ? null : "{\"metric\":\"steps\"}".getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Counts committed records on readings.normalized and readings.rejected until {@code expected} or the deadline. */
    private static long awaitOutputs(IngestStack stack, long expected, Duration wait) {
        Map<String, Object> props = KafkaClientConfigs.consumer(stack.config, null);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (var spec : List.of(Topics.READINGS_NORMALIZED, Topics.READINGS_REJECTED)) {
                String topic = stack.catalogue.name(spec);
                c.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + wait.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int got = c.poll(Duration.ofMillis(200)).count();
                count += got;
                if (got > 0) {
                    quietSince = System.nanoTime();
                } else if (count >= expected
                        && System.nanoTime() - quietSince
                                > Duration.ofSeconds(3).toNanos()) {
                    break; // and nothing more for 3 s: no duplicates on their way
                }
            }
        }
        return count;
    }
}
