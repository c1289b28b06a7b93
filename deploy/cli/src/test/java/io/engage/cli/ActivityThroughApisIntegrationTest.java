package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.DailyActivity;
import io.engage.avro.ParticipantDay;
import io.engage.cli.crash.CommittedTopic;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.processing.ReferenceReadiness;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The participant's day through the real HTTP APIs of the local stack: admin setup, readings through the gateway,
 * participant and day queries out, compared with values computed here by hand from the rules of docs/rules.md.
 */
@Tag("integration")
class ActivityThroughApisIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");

    private String ingest;
    private String query;
    private ApiTokens tokens;

    @Test
    void aDayFromTwoDevicesWithADuplicateAndACorrectionIsCountedByTheRules(@TempDir Path tmp) throws Exception {
        EngageConfig config = EphemeralStack.config(tmp);
        try (LocalStack stack = LocalStack.start(config, false).startIngest().startStreams()) {
            ingest = "http://localhost:" + stack.ingest().port();
            query = "http://localhost:" + stack.streams().port();
            tokens = stack.tokens();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> get(ingest + "/health/ready", null).statusCode() == 200
                            && get(query + "/health/ready", null).statusCode() == 200);

            admin("/v1/programs/prog-it", "{\"stepGoal\":7000,\"activeMinutesGoal\":30}");
            admin(
                    "/v1/participants/p-1",
                    "{\"programId\":\"prog-it\",\"timezone\":\"Asia/Kathmandu\",\"consent\":true}");
            admin(
                    "/v1/participants/p-2",
                    "{\"programId\":\"prog-it\",\"timezone\":\"America/New_York\",\"consent\":true}");
            admin("/v1/devices/trk-1", "{\"participantId\":\"p-1\",\"type\":\"tracker\"}");
            admin("/v1/devices/gls-1", "{\"participantId\":\"p-1\",\"type\":\"glasses\"}");
            Map<ReferenceReadiness.Kind, List<String>> published = ReferenceReadiness.wanted();
            published.put(ReferenceReadiness.Kind.PROGRAM, List.of("prog-it"));
            published.put(ReferenceReadiness.Kind.PARTICIPANT, List.of("p-1", "p-2"));
            published.put(ReferenceReadiness.Kind.DEVICE, List.of("trk-1", "gls-1"));
            ReferenceReadiness.await(
                    published,
                    List.of(stack.ingest().referenceView(), stack.streams().referenceView()),
                    Duration.ofSeconds(60),
                    message -> {});

            LocalDate day = LocalDate.now(KATHMANDU).minusDays(1);
            List<String> tracker = new ArrayList<>();
            for (int h = 8; h <= 16; h++) {
                tracker.add(reading("steps", 850, "steps", day, h, 0, 60));
                tracker.add(reading("active_minutes", 5, "min", day, h, 0, 60));
            }
            tracker.add(reading("steps", 600, "steps", day, 23, 30, 60)); // 23:30-00:30: half on each day
            tracker.add(reading("heart_rate", 60, "bpm", day, 9, 0, 0));
            tracker.add(reading("heart_rate", 70, "bpm", day, 12, 0, 0));
            tracker.add(reading("heart_rate", 95, "bpm", day, 15, 0, 0));
            List<String> glasses = new ArrayList<>();
            for (int h = 10; h <= 12; h++) {
                glasses.add(reading("steps", 1000, "steps", day, h, 0, 60)); // worn with the tracker: max per hour
            }
            gateway("trk-1", tracker);
            gateway("gls-1", glasses);
            gateway("trk-1", tracker); // a re-sent batch changes nothing
            gateway(
                    "trk-1",
                    List.of(reading("steps", 950, "steps", day, 16, 0, 60))); // a correction: later received wins

            // by hand: tracker 9 h x 850 = 7,650; glasses raise 10-12 h to 1,000 (+3 x 150); half of 600 before
            // midnight (+300); the correction raises 16 h to 950 (+100)
            long expectedSteps = 9 * 850 + 3 * 150 + 300 + 100;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(dayView("p-1", day)
                                    .path("totals")
                                    .path("steps")
                                    .asLong())
                            .isEqualTo(expectedSteps));
            // docs/rules.md, "Outputs": one activity.daily record per changed day and commit. The four syncs
            // changed the day with 26 readings (the re-sent batch with none); a sync's readings are processed
            // together, so each sync gives at most one record (two if a commit falls between its readings) and syncs
            // processed in one commit interval share one, where sending each change would give 26
            EngageConfig running = stack.config();
            try (CommittedTopic<ParticipantDay, DailyActivity> daily = new CommittedTopic<>(
                    running.bootstrapServers().orElseThrow(),
                    new TopicCatalogue(running.topicPrefix()),
                    new TopicSerdes(running.registryClientConfigs()),
                    Topics.ACTIVITY_DAILY)) {
                // the query API reads the stores, which hold what is processed before it is committed: wait for
                // the commit that carries the day's final value
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    List<DailyActivity> records = daily.drain().stream()
                            .filter(r -> r.key().getParticipantId().equals("p-1")
                                    && r.key().getDate().equals(day))
                            .map(CommittedTopic.Rec::value)
                            .toList();
                    assertThat(records).isNotEmpty();
                    assertThat(records.get(records.size() - 1).getSteps()).isEqualTo(expectedSteps);
                });
                assertThat(daily.drain().stream()
                                .filter(r -> r.key().getParticipantId().equals("p-1")
                                        && r.key().getDate().equals(day)))
                        .hasSizeLessThanOrEqualTo(6);
            }
            JsonNode d = dayView("p-1", day);
            assertThat(d.path("participantId").asText()).isEqualTo("p-1");
            assertThat(d.path("date").asText()).isEqualTo(day.toString());
            assertThat(d.path("totals").path("active_minutes").asDouble()).isEqualTo(45.0);
            assertThat(d.path("heartRate").path("min").asDouble()).isEqualTo(60.0);
            assertThat(d.path("heartRate").path("max").asDouble()).isEqualTo(95.0);
            assertThat(d.path("heartRate").path("mean").asDouble()).isEqualTo(75.0);
            assertThat(d.path("goals").path("steps").asInt()).isEqualTo(7000);
            assertThat(d.path("goals").path("active_minutes").asInt()).isEqualTo(30);
            assertThat(d.path("achieved").path("steps").asBoolean()).isTrue();
            assertThat(d.path("achieved").path("active_minutes").asBoolean()).isTrue();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(dayView("p-1", day.plusDays(1))
                                    .path("totals")
                                    .path("steps")
                                    .asLong())
                            .isEqualTo(300));

            JsonNode summary =
                    JSON.readTree(get(query + "/v1/participants/p-1", read()).body());
            assertThat(summary.path("programId").asText()).isEqualTo("prog-it");
            assertThat(summary.path("today").asText())
                    .isEqualTo(LocalDate.now(KATHMANDU).toString());
            assertThat(summary.path("stepGoalToday").asInt()).isEqualTo(7000);
            assertThat(summary.path("points").asLong())
                    .as("step goal day +10, active-minutes goal day +5")
                    .isEqualTo(15);
            assertThat(summary.path("currentStreak").asInt())
                    .as("yesterday achieved, today not yet")
                    .isEqualTo(1);
            assertThat(summary.path("longestStreak").asInt()).isEqualTo(1);

            JsonNode empty = dayView("p-2", LocalDate.now(ZoneId.of("America/New_York")));
            assertThat(empty.path("totals").path("steps").asLong()).isZero();
            assertThat(empty.path("heartRate").isNull()).isTrue();
            assertThat(empty.path("achieved").path("steps").asBoolean()).isFalse();

            HttpResponse<String> unknown = get(query + "/v1/participants/p-nobody", read());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("not_found");
            assertThat(get(query + "/v1/participants/p-1", null).statusCode()).isEqualTo(401);
            assertThat(get(
                                    query + "/v1/participants/p-1",
                                    tokens.first(ApiTokens.Role.admin).orElseThrow())
                            .statusCode())
                    .isEqualTo(403);
            assertThat(get(query + "/v1/participants/p-1/days/yesterday", read())
                            .statusCode())
                    .isEqualTo(400);
            // ids that are not ids (a NUL, an e-mail address, too long) are refused, never a 500
            for (String path : List.of(
                    "/v1/participants/p%001",
                    "/v1/participants/someone@example.org/days/2026-11-20",
                    "/v1/participants/" + "p".repeat(129) + "/nudges",
                    "/v1/programs/prog%00it/donations",
                    "/v1/programs/prog%00it/leaderboard",
                    "/v1/programs/prog%00it/teams/leaderboard")) {
                HttpResponse<String> bad = get(query + path, read());
                assertThat(bad.statusCode()).as(path + ": " + bad.body()).isEqualTo(400);
                assertThat(bad.body()).as(path).startsWith("{");
                assertThat(JSON.readTree(bad.body()).path("error").asText()).isEqualTo("bad_request");
            }
        }
    }

    private static String reading(
            String metric, double value, String unit, LocalDate day, int hour, int minute, int minutes) {
        ZonedDateTime start = day.atTime(hour, minute).atZone(KATHMANDU);
        ZonedDateTime end = start.plusMinutes(minutes);
        DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        return String.format(
                java.util.Locale.ROOT,
                "{\"metric\":\"%s\",\"value\":%s,\"unit\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}",
                metric,
                value,
                unit,
                f.format(start),
                f.format(end));
    }

    private String read() {
        return tokens.first(ApiTokens.Role.read).orElseThrow();
    }

    private JsonNode dayView(String participant, LocalDate date) throws Exception {
        HttpResponse<String> r = get(query + "/v1/participants/" + participant + "/days/" + date, read());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private void admin(String path, String body) throws Exception {
        new StackHttp(ingest, tokens).put(path, body);
    }

    private void gateway(String device, List<String> readings) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + "/v1/devices/" + device + "/readings"))
                        .header(
                                "Authorization",
                                "Bearer " + tokens.first(ApiTokens.Role.gateway).orElseThrow())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", readings) + "]"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).path("rejected")).as(r.body()).isEmpty();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return StackHttp.get(url, token);
    }
}
