package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.engage.avro.DailyActivity;
import io.engage.avro.ParticipantDay;
import io.engage.avro.Program;
import io.engage.avro.RawReading;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.schemas.AvroJson;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
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
    void demoRunsTwiceOnTheSameDataDirectoryAndFreshWipesIt(@TempDir Path tmp) throws Exception {
        String dataDir = tmp.resolve("var").toString();
        String[] small = {
            "--participants",
            "6",
            "--days",
            // yesterday and the day before whole: today alone has almost no readings shortly after midnight UTC,
            // and the what-if below needs step-goal days
            "3",
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
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("var"), 0)) {
            assertNoReadingValueIn(logs.list, kafka);
            assertExportEqualsAPlainRead(kafka, tmp);
            assertWhatIfComparesAndLeavesProductionAlone(kafka, tmp);
        }
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
    private static void assertNoReadingValueIn(List<ILoggingEvent> events, EmbeddedKafka kafka) {
        assertThat(events).as("the demo logged at DEBUG").isNotEmpty();
        Set<String> values = new TreeSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
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
            String message = e.getFormattedMessage();
            StringBuilder text = new StringBuilder(message);
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    // a request's timing argument ("134.0" rendered as "134.0 ms") is not a reading
                    if (!message.contains(a + " ms")) {
                        text.append(' ').append(a);
                    }
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

    /**
     * docs/replay.md, against what the demo wrote (its broker and registry restarted on its data directory): the export
     * of a time range of {@code activity.daily} equals, record for record, what a plain read_committed consumer reads
     * in that range, in JSON lines and in CSV (read back with a CSV parser); and the nudges' messages, which have
     * commas, survive the CSV round trip.
     */
    private static void assertExportEqualsAPlainRead(EmbeddedKafka kafka, Path tmp) throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, "_schemas")) {
            TopicSerdes serdes = new TopicSerdes(Map.of("schema.registry.url", registry.url()));
            Map<String, Object> plain = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed");
            List<ConsumerRecord<byte[], byte[]>> all = new java.util.ArrayList<>();
            TopicToEnd.read(plain, "activity.daily", Duration.ofSeconds(60), all::add);
            List<Long> times =
                    all.stream().map(ConsumerRecord::timestamp).sorted().toList();
            assertThat(times).as("the demo wrote days").hasSizeGreaterThanOrEqualTo(4);
            // from the second-earliest record time up to (not including) the latest: some days in, some out
            Instant from = Instant.ofEpochMilli(
                    times.stream().filter(t -> t > times.get(0)).findFirst().orElseThrow());
            Instant to = Instant.ofEpochMilli(times.get(times.size() - 1));
            List<ConsumerRecord<byte[], byte[]>> expected = all.stream()
                    .filter(r -> r.timestamp() >= from.toEpochMilli() && r.timestamp() < to.toEpochMilli())
                    .sorted(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                            .thenComparingLong(ConsumerRecord::offset))
                    .toList();
            assertThat(expected)
                    .as("a range with some days in and some out")
                    .isNotEmpty()
                    .hasSizeLessThan(all.size());
            var keys = serdes.keySerde(Topics.ACTIVITY_DAILY).deserializer();
            var values = serdes.valueSerde(Topics.ACTIVITY_DAILY).deserializer();

            Path jsonl = tmp.resolve("days.jsonl");
            Path csv = tmp.resolve("days.csv");
            for (String[] f : List.of(new String[] {"jsonl", jsonl.toString()}, new String[] {"csv", csv.toString()})) {
                CliRun run = CliRun.of(
                        "replay",
                        "export",
                        "--topic",
                        "activity.daily",
                        "--from",
                        from.toString(),
                        "--to",
                        to.toString(),
                        "--format",
                        f[0],
                        "--out",
                        f[1],
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--schema-registry-url",
                        registry.url());
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.err()).contains("exporting").contains(expected.size() + " records of activity.daily");
            }
            List<String> lines = Files.readAllLines(jsonl);
            List<Map<String, String>> rows;
            try (MappingIterator<Map<String, String>> it = new CsvMapper()
                    .readerFor(Map.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(csv.toFile())) {
                rows = it.readAll();
            }
            assertThat(lines).hasSameSizeAs(expected);
            assertThat(rows).hasSameSizeAs(expected);
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < expected.size(); i++) {
                ConsumerRecord<byte[], byte[]> r = expected.get(i);
                ParticipantDay key = (ParticipantDay) keys.deserialize(r.topic(), r.headers(), r.key());
                DailyActivity day = r.value() == null
                        ? null
                        : (DailyActivity) values.deserialize(r.topic(), r.headers(), r.value());
                JsonNode line = json.readTree(lines.get(i));
                Map<String, String> row = rows.get(i);
                assertThat(line.path("partition").asInt()).isEqualTo(r.partition());
                assertThat(line.path("offset").asLong()).isEqualTo(r.offset());
                assertThat(line.path("timestamp").asText())
                        .isEqualTo(Instant.ofEpochMilli(r.timestamp()).toString());
                assertThat(line.path("key").path("participantId").asText()).isEqualTo(key.getParticipantId());
                assertThat(line.path("key").path("date").asText())
                        .isEqualTo(key.getDate().toString());
                assertThat(row)
                        .containsEntry("partition", String.valueOf(r.partition()))
                        .containsEntry("offset", String.valueOf(r.offset()))
                        .containsEntry("key.participantId", key.getParticipantId())
                        .containsEntry("key.date", key.getDate().toString());
                if (day == null) {
                    assertThat(line.path("value").isNull()).isTrue();
                    assertThat(row).containsEntry("steps", "");
                    continue;
                }
                assertThat(line.path("value").path("steps").asLong()).isEqualTo(day.getSteps());
                assertThat(line.path("value").path("date").asText())
                        .isEqualTo(day.getDate().toString());
                assertThat(line.path("value").path("updatedAt").asText())
                        .isEqualTo(day.getUpdatedAt().toString());
                assertThat(row)
                        .containsEntry("steps", String.valueOf(day.getSteps()))
                        .containsEntry("date", day.getDate().toString())
                        .containsEntry("zoneId", day.getZoneId())
                        .containsEntry("updatedAt", day.getUpdatedAt().toString())
                        .containsEntry(
                                "heartRate.mean",
                                day.getHeartRate() == null
                                        ? ""
                                        : String.valueOf(day.getHeartRate().getMean()));
            }

            // the nudges' messages have commas ("7,256 of 7,000 steps"): a CSV parser gets them back whole
            Path nudges = tmp.resolve("nudges.csv");
            CliRun run = CliRun.of(
                    "replay",
                    "export",
                    "--topic",
                    "coaching.nudges",
                    "--format",
                    "csv",
                    "--out",
                    nudges.toString(),
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--schema-registry-url",
                    registry.url());
            assertThat(run.exitCode()).as(run.err()).isZero();
            List<String> sent = new java.util.ArrayList<>();
            var nudgeValues = serdes.valueSerde(Topics.COACHING_NUDGES).deserializer();
            TopicToEnd.read(
                    plain,
                    "coaching.nudges",
                    Duration.ofSeconds(30),
                    r -> sent.add(((io.engage.avro.Nudge) nudgeValues.deserialize(r.topic(), r.headers(), r.value()))
                            .getMessage()));
            try (MappingIterator<Map<String, String>> it = new CsvMapper()
                    .readerFor(Map.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(nudges.toFile())) {
                assertThat(it.readAll()).extracting(m -> m.get("message")).containsExactlyInAnyOrderElementsOf(sent);
            }
            if (!sent.isEmpty()) {
                assertThat(sent).as("messages with commas").anyMatch(m -> m.contains(","));
            }
        }
    }

    /**
     * docs/replay.md, against what the demo wrote: {@code replay what-if} with the programme's own rules gives the
     * actual figures; with a higher step goal, no more goal days and donations than actual; and either run leaves every
     * production topic (end offsets), consumer group (offsets), registry subject and the streams state directory as
     * they were, and nothing of its own behind.
     */
    private static void assertWhatIfComparesAndLeavesProductionAlone(EmbeddedKafka kafka, Path tmp) throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, "_schemas");
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicSerdes serdes = new TopicSerdes(Map.of("schema.registry.url", registry.url()));
            Map<String, Object> plain = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed");
            List<Program> programs = new java.util.ArrayList<>();
            var programValues = serdes.valueSerde(Topics.PROGRAMS).deserializer();
            TopicToEnd.read(
                    plain,
                    "programs",
                    Duration.ofSeconds(30),
                    r -> programs.add((Program) programValues.deserialize(r.topic(), r.headers(), r.value())));
            Program program = programs.get(programs.size() - 1);
            java.util.TreeSet<java.time.LocalDate> dates = new java.util.TreeSet<>();
            var days = serdes.valueSerde(Topics.ACTIVITY_DAILY).deserializer();
            TopicToEnd.read(plain, "activity.daily", Duration.ofSeconds(30), r -> {
                if (r.value() != null) {
                    dates.add(((DailyActivity) days.deserialize(r.topic(), r.headers(), r.value())).getDate());
                }
            });
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            AvroJson.toMap(program).forEach((k, v) -> {
                if (v != null && !k.equals("programId") && !k.equals("updatedAt")) {
                    body.put(k, v);
                }
            });
            ObjectMapper json = new ObjectMapper();
            Path same = tmp.resolve("same.json");
            json.writeValue(same.toFile(), body);
            // every participant's goal at least 25,000 steps: own goals and adaptive goals are clamped to the minimum
            body.put("stepGoal", 25_000);
            body.put("minStepGoal", 25_000);
            body.put("maxStepGoal", 30_000);
            Path higher = tmp.resolve("higher.json");
            json.writeValue(higher.toFile(), body);

            Production before = Production.of(admin, registry, tmp.resolve("var/streams"));
            JsonNode sameRun = whatIf(kafka, registry, same, dates.first(), dates.last());
            JsonNode higherRun = whatIf(kafka, registry, higher, dates.first(), dates.last());
            interruptedWhatIf(kafka, registry, admin, higher, dates.first(), dates.last(), tmp);
            Production after = Production.of(admin, registry, tmp.resolve("var/streams"));
            assertThat(after.endOffsets())
                    .as("production topics and end offsets")
                    .isEqualTo(before.endOffsets());
            assertThat(after.groupOffsets()).as("consumer groups and offsets").isEqualTo(before.groupOffsets());
            assertThat(after.subjects()).as("registry subjects").isEqualTo(before.subjects());
            assertThat(after.stateFiles()).as("the streams state directory").isEqualTo(before.stateFiles());

            JsonNode actual = sameRun.path("actual");
            assertThat(actual.path("stepGoalDays").asLong())
                    .as("the demo reached step goals")
                    .isPositive();
            assertThat(sameRun.path("whatIf"))
                    .as("the programme's own rules replayed give what happened")
                    .isEqualTo(actual);
            assertThat(higherRun.path("actual")).isEqualTo(actual);
            JsonNode whatIf = higherRun.path("whatIf");
            assertThat(whatIf.path("stepGoalDays").asLong())
                    .isLessThan(actual.path("stepGoalDays").asLong());
            assertThat(whatIf.path("donationsMade").asLong())
                    .isLessThanOrEqualTo(actual.path("donationsMade").asLong());
            assertThat(whatIf.path("points").asLong())
                    .isLessThanOrEqualTo(actual.path("points").asLong());
        }
    }

    /**
     * docs/replay.md: a what-if stopped by SIGTERM (what Ctrl-C and a container stop send) while its application runs
     * removes what it created before the JVM exits: its topics, internal topics, consumer group and subjects, none of
     * them there afterwards (looked at again a few seconds later, for anything created late).
     */
    private static void interruptedWhatIf(
            EmbeddedKafka kafka,
            EmbeddedSchemaRegistry registry,
            Admin admin,
            Path rules,
            java.time.LocalDate from,
            java.time.LocalDate to,
            Path tmp)
            throws Exception {
        assertThat(whatIfGroups(admin))
                .as("groups left by the finished what-ifs")
                .isEmpty();
        assertThat(whatIfTopics(admin))
                .as("topics left by the finished what-ifs")
                .isEmpty();
        io.engage.cli.crash.ChildJvm child = io.engage.cli.crash.ChildJvm.start(
                "whatif-interrupted",
                tmp.resolve("logs"),
                List.of("-Xmx512m"),
                Map.of(),
                whatIfArgs(kafka, registry, rules, from, to));
        // the run's application has joined its group: topics, internal topics, subjects and state all exist now
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (whatIfGroups(admin).isEmpty()) {
            assertThat(child.alive())
                    .as("the what-if ended before its application started: " + child.stderrText())
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("the what-if's application never joined")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(whatIfTopics(admin))
                .as("the run's topics exist before the interruption")
                .isNotEmpty();

        int exit = child.terminate(Duration.ofSeconds(90));

        assertThat(child.stderrText()).as("exit code %d", exit).contains("interrupted; removing the run's topics");
        for (int look = 0; look < 2; look++) {
            assertThat(whatIfTopics(admin))
                    .as("topics left by the interrupted what-if; its standard error:%n%s", child.stderrText())
                    .isEmpty();
            assertThat(whatIfGroups(admin))
                    .as("groups left by the interrupted what-if")
                    .isEmpty();
            try (var client = new io.engage.schemas.registry.RestSchemaRegistryClient(
                    io.engage.schemas.registry.RegistryClientConfig.of(registry.url()))) {
                assertThat(client.subjects())
                        .as("subjects left by the interrupted what-if")
                        .noneMatch(subject -> subject.contains("whatif-"));
            }
            Thread.sleep(3_000);
        }
    }

    private static List<String> whatIfTopics(Admin admin) throws Exception {
        return admin
                .listTopics(new ListTopicsOptions().listInternal(true))
                .names()
                .get(30, java.util.concurrent.TimeUnit.SECONDS)
                .stream()
                .filter(t -> t.contains("whatif-"))
                .toList();
    }

    private static List<String> whatIfGroups(Admin admin) throws Exception {
        return admin.listGroups().all().get(30, java.util.concurrent.TimeUnit.SECONDS).stream()
                .map(g -> g.groupId())
                .filter(g -> g.contains("-whatif-"))
                .toList();
    }

    private static List<String> whatIfArgs(
            EmbeddedKafka kafka,
            EmbeddedSchemaRegistry registry,
            Path rules,
            java.time.LocalDate from,
            java.time.LocalDate to) {
        return List.of(
                "replay",
                "what-if",
                "--program",
                rules.toString(),
                "--from",
                from.toString(),
                "--to",
                to.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--schema-registry-url",
                registry.url());
    }

    private static JsonNode whatIf(
            EmbeddedKafka kafka,
            EmbeddedSchemaRegistry registry,
            Path rules,
            java.time.LocalDate from,
            java.time.LocalDate to)
            throws IOException {
        List<String> args = new java.util.ArrayList<>(whatIfArgs(kafka, registry, rules, from, to));
        args.addAll(List.of("--format", "json"));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("what-if").contains("readings copied");
        return new ObjectMapper().readTree(run.out());
    }

    /** What a what-if must leave as it was: topics and their end offsets, groups and their offsets, subjects, state. */
    private record Production(
            Map<String, Long> endOffsets,
            Map<String, Map<String, Long>> groupOffsets,
            List<String> subjects,
            Map<String, Long> stateFiles) {
        static Production of(Admin admin, EmbeddedSchemaRegistry registry, Path stateDir) throws Exception {
            // every topic but the broker's own (group offsets and transactions, which any client writes) and the
            // registry's log (a what-if registers and deletes its subjects: the subjects are compared below)
            Set<String> topics = admin
                    .listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .stream()
                    .filter(t -> !t.startsWith("_"))
                    .collect(java.util.stream.Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (var d : admin.describeTopics(topics)
                    .allTopicNames()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .values()) {
                d.partitions()
                        .forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<String, Long> ends = new java.util.TreeMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp.toString(), info.offset()));
            Map<String, Map<String, Long>> groups = new java.util.TreeMap<>();
            for (var g : admin.listGroups().all().get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                Map<String, Long> offsets = new java.util.TreeMap<>();
                admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get(30, java.util.concurrent.TimeUnit.SECONDS)
                        .forEach((tp, m) -> offsets.put(tp.toString(), m == null ? -1 : m.offset()));
                groups.put(g.groupId(), offsets);
            }
            List<String> subjects;
            try (var client = new io.engage.schemas.registry.RestSchemaRegistryClient(
                    io.engage.schemas.registry.RegistryClientConfig.of(registry.url()))) {
                subjects = client.subjects().stream().sorted().toList();
            }
            Map<String, Long> files = new java.util.TreeMap<>();
            if (Files.exists(stateDir)) {
                try (var walk = Files.walk(stateDir)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        files.put(
                                stateDir.relativize(f).toString(),
                                Files.getLastModifiedTime(f).toMillis() ^ Files.size(f));
                    }
                }
            }
            return new Production(ends, groups, subjects, files);
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
