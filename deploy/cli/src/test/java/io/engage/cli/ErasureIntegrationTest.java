package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.ingest.normalize.NormalizationTopology;
import io.engage.processing.ReferenceReadiness;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementStores;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/privacy.md through the real HTTP APIs against a real broker, tried as a new user would: a participant with
 * history (days, goals, points, donations, standings, cheers both ways, a paired device) is erased with {@code DELETE
 * /v1/participants/{id}}; afterwards every participant route answers 404, the participant is on no leaderboard, every
 * state store of both applications and every compacted topic (the public ones and every changelog, latest value per
 * key) holds nothing of them by key or by value, their teammate's answers are unchanged and the team's totals keep
 * their sums; and a participant created again with the same id has no history.
 */
@Tag("integration")
class ErasureIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROG = "prog-era";
    private static final String TEAM = "t-era";
    private static final String GONE = "alice-7f3";
    private static final String MATE = "bob-21c";
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    /** The steps both members sent (below) on the days {@code 1..3} back from {@code today} in {@code day}'s week. */
    private static long teamWeekSteps(LocalDate today, LocalDate day) {
        java.time.temporal.WeekFields iso = java.time.temporal.WeekFields.ISO;
        long sum = 0;
        for (int back = 3; back >= 1; back--) {
            LocalDate d = today.minusDays(back);
            if (d.get(iso.weekOfWeekBasedYear()) == day.get(iso.weekOfWeekBasedYear())
                    && d.get(iso.weekBasedYear()) == day.get(iso.weekBasedYear())) {
                sum += 6000 + 7000 + back;
            }
        }
        return sum;
    }

    private StackHttp http;
    private String query;

    @Test
    void anErasedParticipantLeavesNothingBehindAndComesBackEmpty(@TempDir Path tmp) throws Exception {
        EngageConfig config = EphemeralStack.config(tmp);
        try (LocalStack stack = LocalStack.start(config, false).startIngest().startStreams()) {
            String ingest = "http://localhost:" + stack.ingest().port();
            query = "http://localhost:" + stack.streams().port();
            http = new StackHttp(ingest, stack.tokens());
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> StackHttp.get(ingest + "/health/ready", null).statusCode() == 200
                            && StackHttp.get(query + "/health/ready", null).statusCode() == 200);

            http.put(
                    "/v1/programs/" + PROG,
                    "{\"stepGoal\":5000,\"pointsPerDonation\":10,\"donationBudget\":1,\"teamStepsPerDonation\":100000}");
            http.put("/v1/teams/" + TEAM, "{\"programId\":\"" + PROG + "\"}");
            participant(GONE);
            participant(MATE);
            device("trk-" + GONE, GONE);
            device("trk-" + MATE, MATE);
            awaitReference(stack, List.of(GONE, MATE), List.of("trk-" + GONE, "trk-" + MATE));

            LocalDate today = LocalDate.now(ZONE);
            for (int back = 3; back >= 1; back--) {
                steps(GONE, today.minusDays(back), 6000);
                steps(MATE, today.minusDays(back), 7000 + back);
            }
            Instant cheerAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            cheer(GONE, MATE, cheerAt);
            cheer(MATE, GONE, cheerAt);
            LocalDate day = today.minusDays(1);
            String week = "/v1/programs/" + PROG + "/leaderboard?period=week&date=" + day;
            String teamWeek = "/v1/programs/" + PROG + "/teams/leaderboard?period=week&date=" + day;
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(json("/v1/participants/" + GONE + "/days/" + day)
                                .path("totals")
                                .path("steps")
                                .asLong())
                        .isEqualTo(6000);
                assertThat(json("/v1/participants/" + GONE).path("points").asLong())
                        .isPositive();
                assertThat(json("/v1/participants/" + GONE).path("donations").asLong())
                        .isPositive();
                assertThat(json("/v1/participants/" + MATE + "/days/" + LocalDate.ofInstant(cheerAt, ZONE))
                                .path("cheersReceived")
                                .asLong())
                        .isEqualTo(1);
                assertThat(json("/v1/participants/" + GONE + "/days/" + LocalDate.ofInstant(cheerAt, ZONE))
                                .path("cheersReceived")
                                .asLong())
                        .isEqualTo(1);
                assertThat(ids(json(week))).contains(GONE, MATE);
                assertThat(ids(json(teamWeek))).containsExactly(TEAM);
                // the team's standing follows its members' days a flush later (docs/social.md): wait for all of it
                assertThat(json(teamWeek).path("entries").path(0).path("steps").asLong())
                        .as("the team's week: both members' days of that week")
                        .isEqualTo(teamWeekSteps(today, day));
            });
            Map<String, String> mateBefore = mateAnswers(today);
            JsonNode teamBefore = json(teamWeek).path("entries");
            assertThat(storeEntries(stack, GONE))
                    .as("the history is in the stores")
                    .isNotEmpty();

            HttpResponse<String> erased = http.delete("/v1/participants/" + GONE);
            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(202);

            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String route : List.of(
                        "/v1/participants/" + GONE,
                        "/v1/participants/" + GONE + "/days/" + day,
                        "/v1/participants/" + GONE + "/nudges")) {
                    assertThat(get(route).statusCode()).as(route).isEqualTo(404);
                }
                assertThat(ids(json(week))).containsExactly(MATE);
            });
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertThat(storeEntries(stack, GONE))
                                .as("every state store, by key and by value")
                                .isEmpty();
                        assertThat(compactedEntries(stack.config(), GONE))
                                .as("every compacted topic and changelog, latest value per key")
                                .isEmpty();
                    });
            assertThat(json(teamWeek).path("entries"))
                    .as("team totals keep their sums")
                    .isEqualTo(teamBefore);
            assertThat(mateAnswers(today))
                    .as("the teammate's answers are unchanged")
                    .isEqualTo(mateBefore);

            // the same id, created again: no history
            participant(GONE);
            device("trk-" + GONE + "-new", GONE);
            awaitReference(stack, List.of(GONE), List.of("trk-" + GONE + "-new"));
            ZonedDateTime hourAgo = ZonedDateTime.now(ZONE).minusHours(1).truncatedTo(ChronoUnit.HOURS);
            steps("trk-" + GONE + "-new", hourAgo, 1200);
            LocalDate newDay = hourAgo.toLocalDate();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(json("/v1/participants/" + GONE + "/days/" + newDay)
                                    .path("totals")
                                    .path("steps")
                                    .asLong())
                            .isEqualTo(1200));
            JsonNode summary = json("/v1/participants/" + GONE);
            assertThat(summary.path("points").asLong()).isZero();
            assertThat(summary.path("donations").asLong()).isZero();
            assertThat(summary.path("longestStreak").asLong()).isZero();
            if (!day.equals(newDay)) {
                assertThat(json("/v1/participants/" + GONE + "/days/" + day)
                                .path("totals")
                                .path("steps")
                                .asLong())
                        .as("the erased participant's day")
                        .isZero();
            }
        }
    }

    /** What the teammate's routes answer: summary, each day, the week's leaderboard entry. */
    private Map<String, String> mateAnswers(LocalDate today) throws Exception {
        Map<String, String> out = new TreeMap<>();
        JsonNode summary = json("/v1/participants/" + MATE);
        out.put("points", summary.path("points").asText());
        out.put("donations", summary.path("donations").asText());
        out.put("longestStreak", summary.path("longestStreak").asText());
        for (int back = 0; back <= 3; back++) {
            LocalDate d = today.minusDays(back);
            out.put(
                    d.toString(),
                    json("/v1/participants/" + MATE + "/days/" + d).toString());
        }
        return out;
    }

    /** Every entry of every store of both applications whose key or value mentions {@code who}. */
    private static List<String> storeEntries(LocalStack stack, String who) throws IllegalAccessException {
        List<String> found = new ArrayList<>();
        for (Field f : EngagementStores.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String store = (String) f.get(null);
                try (var it = stack.streams().store(store).all()) {
                    it.forEachRemaining(kv -> mentions(found, store, kv.key, kv.value, who));
                }
            }
        }
        for (String store :
                List.of(NormalizationTopology.DEVICE_PAIRINGS_STORE, NormalizationTopology.CONSENT_PROFILES_STORE)) {
            try (var it = stack.ingest().normalizerStore(store).all()) {
                it.forEachRemaining(kv -> mentions(found, store, kv.key, kv.value, who));
            }
        }
        return found;
    }

    private static void mentions(List<String> found, String store, String key, Object value, String who) {
        String v = value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
        if (key.contains(who) || v.contains(who)) {
            found.add(store + ": " + key.replace('\u0000', '/') + " = " + v);
        }
    }

    /**
     * The latest record per key of every compacted topic of the catalogue and every changelog on the broker
     * (read_committed, raw bytes) whose key or value contains {@code who}; a key whose latest record is a tombstone is
     * gone.
     */
    private static List<String> compactedEntries(EngageConfig config, String who) throws Exception {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        List<String> topics = new ArrayList<>();
        for (TopicSpec<?, ?> spec : Topics.all()) {
            if (spec.compacted() && spec != Topics.SCHEMAS) {
                topics.add(catalogue.name(spec));
            }
        }
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
            admin.listTopics().names().get().stream()
                    .filter(t -> t.endsWith("-changelog"))
                    .forEach(topics::add);
        }
        assertThat(topics).anyMatch(t -> t.contains(EngagementStores.DAYS));
        byte[] needle = who.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        Map<String, Object> props = new HashMap<>();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers().orElseThrow());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : new TreeSet<>(topics)) {
                List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                Map<Bytes, byte[]> latest = new HashMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("could not read " + topic + " to its end");
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        latest.put(Bytes.wrap(r.key() == null ? new byte[0] : r.key()), r.value());
                    }
                }
                latest.forEach((k, v) -> {
                    if (v != null && (contains(k.get(), needle) || contains(v, needle))) {
                        found.add(topic + ": "
                                + new String(k.get(), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "/"));
                    }
                });
            }
        }
        return found;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static List<String> ids(JsonNode board) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : board.path("entries")) {
            out.add(
                    e.has("participantId")
                            ? e.path("participantId").asText()
                            : e.path("teamId").asText());
        }
        return out;
    }

    private void awaitReference(LocalStack stack, List<String> participants, List<String> devices) {
        Map<ReferenceReadiness.Kind, List<String>> wanted = ReferenceReadiness.wanted();
        wanted.put(ReferenceReadiness.Kind.PROGRAM, List.of(PROG));
        wanted.put(ReferenceReadiness.Kind.PARTICIPANT, participants);
        wanted.put(ReferenceReadiness.Kind.DEVICE, devices);
        ReferenceReadiness.await(
                wanted,
                List.of(stack.ingest().referenceView(), stack.streams().referenceView()),
                Duration.ofSeconds(60),
                message -> {});
    }

    private void participant(String id) throws Exception {
        http.put(
                "/v1/participants/" + id,
                "{\"programId\":\"" + PROG + "\",\"teamId\":\"" + TEAM + "\",\"timezone\":\"" + ZONE
                        + "\",\"consent\":true}");
    }

    private void device(String deviceId, String participant) throws Exception {
        http.put("/v1/devices/" + deviceId, "{\"participantId\":\"" + participant + "\",\"type\":\"tracker\"}");
    }

    /** {@code steps} over 10:00-11:00 local time of {@code date}, from the participant's first device. */
    private void steps(String participant, LocalDate date, int steps) throws Exception {
        steps("trk-" + participant, date.atTime(10, 0).atZone(ZONE), steps);
    }

    private void steps(String device, ZonedDateTime start, int steps) throws Exception {
        String reading = String.format(
                Locale.ROOT,
                "{\"metric\":\"steps\",\"value\":%d,\"unit\":\"steps\",\"start\":\"%s\",\"end\":\"%s\"}",
                steps,
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start),
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plusHours(1)));
        HttpResponse<String> r =
                http.post("/v1/devices/" + device + "/readings", "[" + reading + "]", ApiTokens.Role.gateway);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private void cheer(String from, String to, Instant at) throws Exception {
        HttpResponse<String> r = http.post(
                "/v1/cheers",
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"kind\":\"cheer\",\"at\":\"" + at + "\"}",
                ApiTokens.Role.admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private HttpResponse<String> get(String route) throws Exception {
        return StackHttp.get(query + route, http.token(ApiTokens.Role.read));
    }

    private JsonNode json(String route) throws Exception {
        HttpResponse<String> r = get(route);
        assertThat(r.statusCode()).as(route + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
