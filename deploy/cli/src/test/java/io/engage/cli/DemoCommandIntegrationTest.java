package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.engage.avro.RawReading;
import io.engage.embedded.kafka.EmbeddedKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The demo through the CLI, as a user runs it: embedded KRaft broker, embedded registry, real clients. */
@Tag("integration")
class DemoCommandIntegrationTest {

    @Test
    void demoRunsTwiceOnTheSameDataDirectoryAndFreshWipesIt(@TempDir Path tmp) {
        String dataDir = tmp.resolve("var").toString();
        String[] small = {
            "--participants",
            "6",
            "--days",
            "1",
            "--broker-port",
            "0",
            "--registry-port",
            "0",
            "--ingest-port",
            "0",
            "--query-port",
            "0"
        };

        // every log line of engage's code at DEBUG, and everything else's at WARN, captured for the scan below
        ch.qos.logback.classic.Logger engage = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.engage");
        ch.qos.logback.classic.Level level = engage.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        engage.setLevel(ch.qos.logback.classic.Level.DEBUG);
        CliRun first;
        try {
            first = CliRun.of(args("demo", "--data-dir", dataDir, small));
        } finally {
            engage.setLevel(level);
            root.detachAppender(logs);
        }
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        assertNoReadingValueIn(logs.list, tmp.resolve("var"));
        assertThat(first.out())
                .contains("17 created, 0 already present")
                .contains("accepted")
                .contains("normalised")
                .contains("every accepted reading was normalised or dead-lettered exactly once")
                .contains("goal days")
                .contains("longest streaks")
                .contains("donations")
                .contains("budget")
                .contains("nudges sent")
                .contains("top teams")
                .contains("simulating")
                .contains("] 100%")
                .contains("engage demo: done");
        assertThat(first.out())
                .as("the query API agrees with the donations topic")
                .containsPattern(
                        "donations +([\\d,]+) made .*\\n *budget +[\\d,]+ of [\\d,]+ left \\(query API: \\1 triggered");
        assertThat(Files.exists(tmp.resolve("var/kafka/meta.properties"))).isTrue();
        assertThat(Files.exists(tmp.resolve("var/tokens.json"))).isTrue();

        CliRun second = CliRun.of(args("demo", "--data-dir", dataDir, small));
        assertThat(second.exitCode()).as(second.err() + second.out()).isZero();
        assertThat(second.out()).contains("0 created, 17 already present").contains("engage demo: done");

        CliRun fresh = CliRun.of(args("demo", "--fresh", "--data-dir", dataDir, small));
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(fresh.out()).contains("17 created, 0 already present");
    }

    /**
     * docs/ingest.md, "Hostile input": no health data in logs. Reads the readings the demo sent (its broker restarted on
     * its data directory) and looks for each value of 100 or more, as Java and the Avro and JSON renderings write it
     * ({@code 6123.0}; {@code 6123.45}), in every captured log line, message and arguments.
     */
    private static void assertNoReadingValueIn(List<ILoggingEvent> events, Path dataDir) {
        assertThat(events).as("the demo logged at DEBUG").isNotEmpty();
        Set<String> values = new TreeSet<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor("readings.raw", Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            SpecificDatumReader<RawReading> reader = new SpecificDatumReader<>(RawReading.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        // Confluent wire format: magic byte, schema id, Avro binary of the current RawReading
                        RawReading reading = reader.read(
                                null, DecoderFactory.get().binaryDecoder(r.value(), 5, r.value().length - 5, null));
                        if (reading.getValue() >= 100) {
                            values.add(Double.toString(reading.getValue()));
                        }
                    } catch (java.io.IOException | RuntimeException notAReading) {
                        // the demo's deliberately invalid readings need not decode
                    }
                }
            }
        }
        assertThat(values).as("the demo's readings were read back").hasSizeGreaterThan(10);
        Pattern number = Pattern.compile("(?<![\\d.])\\d+\\.\\d+(?![\\d.])");
        for (ILoggingEvent e : events) {
            StringBuilder text = new StringBuilder(e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    text.append(' ').append(a);
                }
            }
            // request timings ("12.3 ms") are not readings
            Matcher m = number.matcher(text.toString().replaceAll("\\d+\\.\\d ms", ""));
            while (m.find()) {
                assertThat(values)
                        .as("a reading's value in a log line of %s: %s", e.getLoggerName(), text)
                        .doesNotContain(m.group());
            }
        }
    }

    private static String[] args(String command, String flag, String value, String... rest) {
        String[] out = new String[3 + rest.length];
        out[0] = command;
        out[1] = flag;
        out[2] = value;
        System.arraycopy(rest, 0, out, 3, rest.length);
        return out;
    }

    private static String[] args(String command, String fresh, String flag, String value, String... rest) {
        String[] out = new String[4 + rest.length];
        out[0] = command;
        out[1] = fresh;
        out[2] = flag;
        out[3] = value;
        System.arraycopy(rest, 0, out, 4, rest.length);
        return out;
    }

    @Test
    void aTakenBrokerPortIsOneClearLine(@TempDir Path tmp) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of(
                    "demo",
                    "--data-dir",
                    tmp.resolve("var").toString(),
                    "--broker-port",
                    String.valueOf(taken.getLocalPort()),
                    "--registry-port",
                    "0",
                    "--ingest-port",
                    "0",
                    "--query-port",
                    "0");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("port " + taken.getLocalPort())
                    .contains("broker.port")
                    .contains("already in use")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void freshRefusesToWipeADirectoryThatIsNotOurs(@TempDir Path tmp) throws IOException {
        Path precious = tmp.resolve("precious");
        Files.createDirectories(precious);
        Files.writeString(precious.resolve("thesis.tex"), "do not delete");
        CliRun run = CliRun.of(
                "demo", "--fresh", "--data-dir", precious.toString(), "--broker-port", "0", "--registry-port", "0");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refusing to wipe");
        assertThat(precious.resolve("thesis.tex")).exists();
    }
}
