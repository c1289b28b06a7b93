package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Standing;
import io.engage.avro.StandingKey;
import io.engage.cli.crash.CommittedTopic;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.processing.ReferenceReadiness;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.streams.StreamsProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/social.md through the real HTTP APIs, tried as a new user would, with two streams instances sharing the work:
 * a programme's participants in four zones and two teams send readings through the gateway (one hides from the
 * leaderboards, one turns cheers off, one correction lowers a day), cheers go through the admin API, and both
 * instances must answer both leaderboards for the day and its week with exactly the entries and steps worked out here
 * by hand.
 */
@Tag("integration")
class SocialThroughApisIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROG = "prog-soc";
    private static final Map<String, ZoneId> ZONES = Map.of(
            "p-akl", ZoneId.of("Pacific/Auckland"),
            "p-la", ZoneId.of("America/Los_Angeles"),
            "p-ber", ZoneId.of("Europe/Berlin"),
            "p-ktm", ZoneId.of("Asia/Kathmandu"),
            "p-nyc", ZoneId.of("America/New_York"));

    private String ingest;
    private StackHttp http;

    @Test
    void bothInstancesAnswerBothLeaderboardsWithTheEntriesWorkedOutByHand(@TempDir Path tmp) throws Exception {
        EngageConfig config = EphemeralStack.config(tmp);
        try (LocalStack stack = LocalStack.start(config, false).startIngest().startStreams();
                StreamsProcess second = StreamsProcess.start(
                        stack.config()
                                .with(Map.of(
                                        EngageConfig.DATA_DIR,
                                        tmp.resolve("second").toString())),
                        stack.tokens(),
                        Clock.systemUTC())) {
            ingest = "http://localhost:" + stack.ingest().port();
            http = new StackHttp(ingest, stack.tokens());
            List<String> queries =
                    List.of("http://localhost:" + stack.streams().port(), "http://localhost:" + second.port());
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
                boolean ready = get(ingest + "/health/ready", null).statusCode() == 200;
                for (String q : queries) {
                    ready &= get(q + "/health/ready", null).statusCode() == 200;
                }
                return ready;
            });

            admin("/v1/programs/" + PROG, "{\"stepGoal\":7000}");
            admin("/v1/teams/t-a", "{\"programId\":\"" + PROG + "\"}");
            admin("/v1/teams/t-b", "{\"programId\":\"" + PROG + "\"}");
            participant("p-akl", "t-a", "");
            participant("p-la", "t-a", "");
            participant("p-ber", "t-b", "");
            participant("p-ktm", "t-b", ",\"preferences\":{\"leaderboardVisible\":false}");
            participant("p-nyc", "t-b", ",\"preferences\":{\"socialEnabled\":false}");
            for (String p : ZONES.keySet()) {
                admin("/v1/devices/trk-" + p, "{\"participantId\":\"" + p + "\",\"type\":\"tracker\"}");
            }
            Map<ReferenceReadiness.Kind, List<String>> published = ReferenceReadiness.wanted();
            published.put(ReferenceReadiness.Kind.PROGRAM, List.of(PROG));
            published.put(ReferenceReadiness.Kind.PARTICIPANT, List.copyOf(ZONES.keySet()));
            published.put(
                    ReferenceReadiness.Kind.DEVICE,
                    ZONES.keySet().stream().map(p -> "trk-" + p).toList());
            ReferenceReadiness.await(
                    published,
                    List.of(stack.ingest().referenceView(), stack.streams().referenceView(), second.referenceView()),
                    Duration.ofSeconds(60),
                    message -> {});

            // three days ago, a local date of every participant (each at 10:00 in their own zone)
            LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(3);
            steps("p-akl", day, 10, 4000);
            steps("p-la", day, 10, 6000);
            steps("p-ber", day, 10, 5000);
            steps("p-ktm", day, 10, 9000);
            steps("p-nyc", day, 10, 5000);
            steps("p-la", day.minusDays(1), 10, 2000);
            steps("p-la", day, 10, 3000); // a correction: the same reading received later, lower

            // by hand: the day, p-ktm hidden; ties (p-ber, p-nyc) by id
            List<String> dayBoard = List.of("1:p-ber=5000", "2:p-nyc=5000", "3:p-akl=4000", "4:p-la=3000");
            boolean sameWeek = day.getDayOfWeek() != DayOfWeek.MONDAY;
            List<String> weekBoard =
                    sameWeek ? List.of("1:p-ber=5000", "2:p-la=5000", "3:p-nyc=5000", "4:p-akl=4000") : dayBoard;
            List<String> teamDay = List.of("1:t-b=19000", "2:t-a=7000"); // the hidden member counts for the team
            List<String> teamWeek = sameWeek ? List.of("1:t-b=19000", "2:t-a=9000") : teamDay;

            for (String q : queries) {
                awaitBoard(q + "/v1/programs/" + PROG + "/leaderboard?period=day&date=" + day, dayBoard);
                awaitBoard(q + "/v1/programs/" + PROG + "/leaderboard?period=week&date=" + day, weekBoard);
                awaitBoard(q + "/v1/programs/" + PROG + "/teams/leaderboard?period=day&date=" + day, teamDay);
                awaitBoard(q + "/v1/programs/" + PROG + "/teams/leaderboard?period=week&date=" + day, teamWeek);
                assertThat(board(q + "/v1/programs/" + PROG + "/leaderboard?period=day&limit=2&date=" + day))
                        .containsExactlyElementsOf(dayBoard.subList(0, 2));
                assertThat(get(q + "/v1/programs/" + PROG + "/leaderboard?period=month", read())
                                .statusCode())
                        .isEqualTo(400);
                assertThat(get(q + "/v1/programs/" + PROG + "/leaderboard?limit=0", read())
                                .statusCode())
                        .isEqualTo(400);
            }

            // each instance answered for its own participant partitions, and together for all of them
            List<Integer> answered = new ArrayList<>();
            for (String q : queries) {
                JsonNode partial =
                        json(q + "/internal/v1/programs/" + PROG + "/leaderboard/partial?period=day&date=" + day);
                assertThat(partial.path("partitions"))
                        .as(q + " holds participant partitions")
                        .isNotEmpty();
                partial.path("partitions").forEach(p -> answered.add(p.asInt()));
            }
            assertThat(answered).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);

            // the standings topic carries the same (latest value per key, read_committed)
            EngageConfig running = stack.config();
            try (CommittedTopic<StandingKey, Standing> standings = new CommittedTopic<>(
                    running.bootstrapServers().orElseThrow(),
                    new TopicCatalogue(running.topicPrefix()),
                    new TopicSerdes(running.registryClientConfigs()),
                    Topics.STANDINGS)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Map<String, Long> latest = new HashMap<>();
                    standings
                            .drain()
                            .forEach(r -> latest.put(
                                    r.key().getScope() + "/" + r.key().getEntityId() + "/"
                                            + r.key().getPeriod() + "/"
                                            + r.key().getPeriodStart(),
                                    r.value().getSteps()));
                    assertThat(latest)
                            .containsEntry("participant/p-la/day/" + day, 3000L)
                            .containsEntry("participant/p-ktm/day/" + day, 9000L)
                            .containsEntry("team/t-b/day/" + day, 19000L)
                            .containsEntry(
                                    "team/t-a/week/" + day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                                    sameWeek ? 9000L : 7000L);
                });
            }

            // cheers: p-akl cheers p-la twice (one re-sent); p-nyc has cheers off, both ways
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant first = now.minus(2, ChronoUnit.HOURS);
            Instant later = now.minus(1, ChronoUnit.HOURS);
            cheer("p-akl", "p-la", first);
            cheer("p-akl", "p-la", later);
            cheer("p-akl", "p-la", first);
            cheer("p-nyc", "p-ber", first);
            cheer("p-ber", "p-nyc", first);
            Map<LocalDate, Long> received = new HashMap<>();
            for (Instant at : List.of(first, later)) {
                received.merge(LocalDate.ofInstant(at, ZONES.get("p-la")), 1L, Long::sum);
            }
            for (String q : queries) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(json(q + "/v1/participants/p-akl").path("points").asLong())
                            .as("a point for each cheer given, the re-sent one once")
                            .isEqualTo(2);
                    for (var e : received.entrySet()) {
                        assertThat(json(q + "/v1/participants/p-la/days/" + e.getKey())
                                        .path("cheersReceived")
                                        .asLong())
                                .isEqualTo(e.getValue());
                    }
                    assertThat(json(q + "/v1/participants/p-ber/days/" + LocalDate.ofInstant(first, ZONES.get("p-ber")))
                                    .path("cheersReceived")
                                    .asLong())
                            .isZero();
                });
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Long> cheers = new HashMap<>();
                for (String q : queries) {
                    cheerMetrics(q).forEach((k, v) -> cheers.merge(k, v, Long::sum));
                }
                assertThat(cheers)
                        .containsEntry("counted/", 2L)
                        .containsEntry("dropped/DUPLICATE", 1L)
                        .containsEntry("dropped/SOCIAL_DISABLED", 2L);
            });
        }
    }

    private void awaitBoard(String url, List<String> expected) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(board(url)).as(url).containsExactlyElementsOf(expected));
    }

    /** A leaderboard as {@code rank:id=steps}. */
    private List<String> board(String url) throws Exception {
        JsonNode body = json(url);
        List<String> out = new ArrayList<>();
        for (JsonNode e : body.path("entries")) {
            String id = e.has("participantId")
                    ? e.path("participantId").asText()
                    : e.path("teamId").asText();
            out.add(e.path("rank").asInt() + ":" + id + "=" + e.path("steps").asLong());
        }
        return out;
    }

    private JsonNode json(String url) throws Exception {
        HttpResponse<String> r = get(url, read());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Map<String, Long> cheerMetrics(String query) throws Exception {
        Matcher m = Pattern.compile("(?m)^engage_cheers_total\\{outcome=\"(\\w+)\",reason=\"(\\w*)\"} ([0-9.E]+)$")
                .matcher(get(query + "/metrics", null).body());
        Map<String, Long> out = new HashMap<>();
        while (m.find()) {
            out.merge(m.group(1) + "/" + m.group(2), (long) Double.parseDouble(m.group(3)), Long::sum);
        }
        return out;
    }

    private void participant(String id, String team, String extra) throws Exception {
        admin(
                "/v1/participants/" + id,
                "{\"programId\":\"" + PROG + "\",\"teamId\":\"" + team + "\",\"timezone\":\"" + ZONES.get(id)
                        + "\",\"consent\":true" + extra + "}");
    }

    private void steps(String participant, LocalDate localDate, int hour, int steps) throws Exception {
        ZonedDateTime start = localDate.atTime(hour, 0).atZone(ZONES.get(participant));
        String reading = String.format(
                Locale.ROOT,
                "{\"metric\":\"steps\",\"value\":%d,\"unit\":\"steps\",\"start\":\"%s\",\"end\":\"%s\"}",
                steps,
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start),
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plusHours(1)));
        send("/v1/devices/trk-" + participant + "/readings", "[" + reading + "]", ApiTokens.Role.gateway);
    }

    private void cheer(String from, String to, Instant at) throws Exception {
        send(
                "/v1/cheers",
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"kind\":\"cheer\",\"at\":\"" + at + "\"}",
                ApiTokens.Role.admin);
    }

    private void send(String path, String body, ApiTokens.Role role) throws Exception {
        HttpResponse<String> r = http.post(path, body, role);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private void admin(String path, String body) throws Exception {
        http.put(path, body);
    }

    private String read() {
        return http.token(ApiTokens.Role.read);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return StackHttp.get(url, token);
    }
}
