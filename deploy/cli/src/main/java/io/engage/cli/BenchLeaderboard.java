package io.engage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.DeviceType;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Participant;
import io.engage.avro.Preferences;
import io.engage.avro.Program;
import io.engage.avro.Team;
import io.engage.cli.bench.BenchException;
import io.engage.cli.bench.BenchReport;
import io.engage.cli.bench.CommittedOffsets;
import io.engage.cli.bench.Percentiles;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementTopology;
import io.engage.streams.StreamsProcess;
import io.engage.streams.social.Leaderboards;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Phase (l) of {@code ./engage bench} (docs/benchmarks.md, "Leaderboards"): a programme with many participants (in
 * four zones, 100 to a team, one in ten hidden from leaderboards) on fresh topics, two days of steps each for the
 * engagement application, then the participant and team leaderboards timed through the query API against
 * {@code /health/live} and a participant summary on the same client, and their entries checked against the top
 * computed here from the readings.
 */
final class BenchLeaderboard {
    static final String PREFIX = "bench.social.";
    static final String APPLICATION_ID = "engage-bench-social";
    private static final String PROGRAM = "prog-bench-social";
    private static final List<ZoneId> ZONES = List.of(
            ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"),
            ZoneId.of("Asia/Kathmandu"),
            ZoneId.of("Pacific/Auckland"));
    private static final int LIMIT = 10;
    private static final int WARM_UP_QUERIES = 200;
    private static final int TIMED_QUERIES = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStack stack;
    private final Consumer<String> progress;

    BenchLeaderboard(LocalStack stack, Consumer<String> progress) {
        this.stack = stack;
        this.progress = progress;
    }

    BenchReport.Leaderboard run(int participants, long seed) {
        EngageConfig config = stack.namespace(PREFIX, APPLICATION_ID);
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        LocalDate date = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        LocalDate before = date.minusDays(1);
        LocalDate monday = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Map<String, Long> dayOf = new HashMap<>();
        Map<String, Long> weekOf = new HashMap<>();
        Map<String, Long> teamWeek = new HashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        Instant received = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientConfigs.producer(config, "engage-bench-social"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            send(
                    producer,
                    topics,
                    serdes,
                    Topics.PROGRAMS,
                    PROGRAM,
                    Program.newBuilder()
                            .setProgramId(PROGRAM)
                            .setUpdatedAt(received)
                            .build());
            for (int t = 0; t < teams(participants); t++) {
                send(
                        producer,
                        topics,
                        serdes,
                        Topics.TEAMS,
                        team(t),
                        Team.newBuilder()
                                .setTeamId(team(t))
                                .setProgramId(PROGRAM)
                                .setUpdatedAt(received)
                                .build());
            }
            for (int i = 0; i < participants; i++) {
                String pid = String.format("bp-%06d", i);
                send(
                        producer,
                        topics,
                        serdes,
                        Topics.PARTICIPANTS,
                        pid,
                        Participant.newBuilder()
                                .setParticipantId(pid)
                                .setProgramId(PROGRAM)
                                .setTeamId(team(i / 100))
                                .setTimezone(ZONES.get(i % ZONES.size()).getId())
                                .setConsent(true)
                                .setPreferences(Preferences.newBuilder()
                                        .setLeaderboardVisible(i % 10 != 7)
                                        .build())
                                .setUpdatedAt(received)
                                .build());
            }
            producer.flush();
            progress.accept(String.format(
                    "%,d participants in %,d teams of programme %s on topics %s*",
                    participants, teams(participants), PROGRAM, PREFIX));
        }
        try (StreamsProcess streams = StreamsProcess.start(config, stack.tokens(), Clock.systemUTC());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        KafkaClientConfigs.producer(config, "engage-bench-social-readings"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (int i = 0; i < participants; i++) {
                String pid = String.format("bp-%06d", i);
                ZoneId zone = ZONES.get(i % ZONES.size());
                for (LocalDate d : List.of(before, date)) {
                    long steps = 1_000 + random.nextInt(25_000);
                    ZonedDateTime start = d.atTime(10, 0).atZone(zone);
                    send(
                            producer,
                            topics,
                            serdes,
                            Topics.READINGS_NORMALIZED,
                            pid,
                            NormalizedReading.newBuilder()
                                    .setParticipantId(pid)
                                    .setDeviceId("b-" + pid)
                                    .setDeviceType(DeviceType.tracker)
                                    .setMetric(Metric.steps)
                                    .setValue(steps)
                                    .setStart(start.toInstant())
                                    .setEnd(start.plusHours(1).toInstant())
                                    .setOffsetSeconds(start.getOffset().getTotalSeconds())
                                    .setZoneId(zone.getId())
                                    .setReceivedAt(received)
                                    .build());
                    if (d.equals(date)) {
                        dayOf.put(pid, steps);
                    }
                    if (!d.isBefore(monday)) {
                        weekOf.merge(pid, steps, Long::sum);
                        teamWeek.merge(team(i / 100), steps, Long::sum);
                    }
                }
            }
            producer.flush();
            progress.accept(
                    String.format("%,d readings sent; waiting for the engagement application", 2L * participants));
            awaitProcessed(config, topics.name(Topics.READINGS_NORMALIZED));

            String base = "http://localhost:" + streams.port();
            String token = stack.tokens().first(ApiTokens.Role.read).orElseThrow();
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String board = base + "/v1/programs/" + PROGRAM + "/leaderboard?limit=" + LIMIT;
            String teamBoard = base + "/v1/programs/" + PROGRAM + "/teams/leaderboard?limit=" + LIMIT;
            Map<String, Long> expectedDay = top(visible(dayOf));
            Map<String, Long> expectedWeek = top(visible(weekOf));
            Map<String, Long> expectedTeams = top(teamWeek);
            // the team standings arrive a flush (a second) after the readings were processed
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!entries(http, teamBoard + "&period=week&date=" + date, token, "teamId")
                    .equals(expectedTeams)) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException("the team leaderboard did not reach the expected entries within 60 s");
                }
                sleep(500);
            }
            boolean same = entries(http, board + "&period=day&date=" + date, token, "participantId")
                            .equals(expectedDay)
                    && entries(http, board + "&period=week&date=" + date, token, "participantId")
                            .equals(expectedWeek);
            progress.accept(
                    same
                            ? "leaderboards equal the top computed from the readings"
                            : "leaderboards DIFFER from the top computed from the readings");
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("participants, day", board + "&period=day&date=" + date);
            urls.put("participants, week", board + "&period=week&date=" + date);
            urls.put("teams, week", teamBoard + "&period=week&date=" + date);
            urls.put("participant summary", base + "/v1/participants/bp-000001");
            urls.put("/health/live (floor)", base + "/health/live");
            Map<String, Percentiles> timed = new LinkedHashMap<>();
            for (var e : urls.entrySet()) {
                timed.put(e.getKey(), time(http, e.getValue(), token));
                progress.accept(e.getKey() + ": " + timed.get(e.getKey()));
            }
            return new BenchReport.Leaderboard(participants, teams(participants), LIMIT, timed, same);
        }
    }

    private static int teams(int participants) {
        return Math.max(1, (participants + 99) / 100);
    }

    private static String team(int t) {
        return String.format("bt-%04d", t);
    }

    private static Map<String, Long> visible(Map<String, Long> steps) {
        Map<String, Long> out = new HashMap<>();
        steps.forEach((pid, s) -> {
            if (Integer.parseInt(pid.substring(3)) % 10 != 7) {
                out.put(pid, s);
            }
        });
        return out;
    }

    /** The best {@link #LIMIT} by steps, ranked as the leaderboard ranks them (ties by id). */
    private static Map<String, Long> top(Map<String, Long> steps) {
        return Leaderboards.top(steps, LIMIT);
    }

    private static <V> void send(
            KafkaProducer<String, byte[]> producer,
            TopicCatalogue topics,
            TopicSerdes serdes,
            TopicSpec<String, V> spec,
            String key,
            V value) {
        String topic = topics.name(spec);
        producer.send(new ProducerRecord<>(
                topic, key, serdes.valueSerde(spec).serializer().serialize(topic, value)));
    }

    /** Waits until the engagement application committed its input up to the end. */
    private static void awaitProcessed(EngageConfig config, String input) {
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
            CommittedOffsets.awaitCaughtUp(
                    admin, EngagementTopology.applicationId(config), input, Duration.ofMinutes(5));
        }
    }

    private static Map<String, Long> entries(HttpClient http, String url, String token, String idField) {
        HttpResponse<String> r = get(http, url, token);
        Map<String, Long> out = new LinkedHashMap<>();
        if (r.statusCode() != 200) {
            return out;
        }
        try {
            for (JsonNode e : JSON.readTree(r.body()).path("entries")) {
                out.put(e.path(idField).asText(), e.path("steps").asLong());
            }
        } catch (Exception e) {
            throw new BenchException("unreadable leaderboard from " + url + ": " + e, e);
        }
        return out;
    }

    /** Sequential requests on one keep-alive client: a warm-up, then the timed ones. */
    private static Percentiles time(HttpClient http, String url, String token) {
        for (int i = 0; i < WARM_UP_QUERIES; i++) {
            get(http, url, token);
        }
        long[] nanos = new long[TIMED_QUERIES];
        for (int i = 0; i < TIMED_QUERIES; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(http, url, token);
            nanos[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new BenchException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
            }
        }
        return Percentiles.ofNanos(nanos, TIMED_QUERIES);
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new BenchException("GET " + url + " failed: " + e, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
