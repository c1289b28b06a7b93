package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Nudge;
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
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/coaching.md through the public APIs of the local stack, as a new programme would try it: a prompt time a minute
 * or two ahead in the participants' zone, three participants whose preferences differ, and at that time the nudge the
 * preferences allow on {@code coaching.nudges} (read_committed, once) and the held-back ones, with their reasons, in
 * the nudges query.
 */
@Tag("integration")
class CoachingThroughApisIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("Asia/Kathmandu");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private String ingest;
    private String query;
    private ApiTokens tokens;

    @Test
    void aPromptAtTheProgrammesTimeReachesWhoAllowsItAndTheHeldBackOnesAreListed(@TempDir Path tmp) throws Exception {
        EngageConfig config = EngageConfig.of(Map.of(
                "data.dir", tmp.resolve("var").toString(),
                "broker.port", "0",
                "registry.port", "0",
                "ingest.port", "0",
                "query.port", "0"));
        try (LocalStack stack = LocalStack.start(config, false).startIngest().startStreams()) {
            ingest = "http://localhost:" + stack.ingest().port();
            query = "http://localhost:" + stack.streams().port();
            tokens = stack.tokens();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> get(ingest + "/health/ready", null).statusCode() == 200
                            && get(query + "/health/ready", null).statusCode() == 200);

            // the prompt: the first whole minute at least 40 s ahead, in Kathmandu (UTC+05:45)
            ZonedDateTime now = ZonedDateTime.now(ZONE);
            ZonedDateTime prompt =
                    now.plusSeconds(40).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            String slot = HH_MM.format(prompt);
            admin(
                    "/v1/programs/prog-c",
                    "{\"promptTimes\":[\"" + slot + "\"],\"activeHours\":{\"start\":\"03:00\",\"end\":\"03:01\"}}");
            LocalTime quietFrom = prompt.toLocalTime().minusMinutes(30);
            LocalTime quietTo = prompt.toLocalTime().plusMinutes(30);
            participant("p-on", "{\"quietHours\":{\"start\":\"03:00\",\"end\":\"03:01\"},\"channel\":\"sms\"}");
            participant(
                    "p-out",
                    "{\"optOut\":[\"SCHEDULED_PROMPT\"],\"quietHours\":{\"start\":\"03:00\",\"end\":\"03:01\"}}");
            participant(
                    "p-quiet",
                    "{\"quietHours\":{\"start\":\"" + HH_MM.format(quietFrom) + "\",\"end\":\"" + HH_MM.format(quietTo)
                            + "\"}}");
            for (String p : List.of("p-on", "p-out", "p-quiet")) {
                admin("/v1/devices/trk-" + p, "{\"participantId\":\"" + p + "\",\"type\":\"tracker\"}");
            }
            Map<ReferenceReadiness.Kind, List<String>> published = ReferenceReadiness.wanted();
            published.put(ReferenceReadiness.Kind.PROGRAM, List.of("prog-c"));
            published.put(ReferenceReadiness.Kind.PARTICIPANT, List.of("p-on", "p-out", "p-quiet"));
            published.put(ReferenceReadiness.Kind.DEVICE, List.of("trk-p-on", "trk-p-out", "trk-p-quiet"));
            ReferenceReadiness.await(
                    published,
                    List.of(stack.ingest().referenceView(), stack.streams().referenceView()),
                    Duration.ofSeconds(60),
                    message -> {});
            // a first reading each puts the participants on the coaching schedule
            ZonedDateTime start = now.minusMinutes(20);
            String reading = String.format(
                    "[{\"metric\":\"steps\",\"value\":1200,\"unit\":\"steps\",\"start\":\"%s\",\"end\":\"%s\"}]",
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plusMinutes(10)));
            for (String p : List.of("p-on", "p-out", "p-quiet")) {
                gateway("trk-" + p, reading);
            }
            String today = prompt.toLocalDate().toString();
            String readingDate = start.plusMinutes(10).toLocalDate().toString();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> dayView("p-quiet", readingDate)
                                    .path("totals")
                                    .path("steps")
                                    .asLong()
                            > 0);
            assertThat(ZonedDateTime.now(ZONE)).as("set up before the prompt").isBefore(prompt);
            assertThat(nudges("p-on", today).path("sent")).isEmpty();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> assertThat(nudges("p-on", today).path("sent").findValuesAsText("slot"))
                                    .contains(slot));
            JsonNode on = prompt(nudges("p-on", today).path("sent"), slot);
            assertThat(on.path("nudgeId").asText()).isEqualTo("nudge:p-on:" + today + ":SCHEDULED_PROMPT:" + slot);
            assertThat(on.path("channel").asText()).isEqualTo("sms");
            assertThat(on.path("dueAt").asText()).isEqualTo(prompt.toInstant().toString());
            if (start.toLocalDate().equals(prompt.toLocalDate()) && readingDate.equals(today)) {
                assertThat(on.path("message").asText()).contains("1,200 of 7,000 steps");
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(suppressed("p-out", today)).contains("SCHEDULED_PROMPT " + slot + " OPTED_OUT");
                assertThat(suppressed("p-quiet", today)).contains("SCHEDULED_PROMPT " + slot + " QUIET_HOURS");
            });
            assertThat(prompt(nudges("p-out", today).path("sent"), slot)).isNull();
            assertThat(prompt(nudges("p-quiet", today).path("sent"), slot)).isNull();

            EngageConfig running = stack.config();
            try (CommittedTopic<String, Nudge> topic = new CommittedTopic<>(
                    running.bootstrapServers().orElseThrow(),
                    new TopicCatalogue(running.topicPrefix()),
                    new TopicSerdes(running.registryClientConfigs()),
                    Topics.COACHING_NUDGES)) {
                List<Nudge> prompts = topic.drain().stream()
                        .map(CommittedTopic.Rec::value)
                        .filter(n ->
                                n.getSlot().equals(slot) && n.getType() == io.engage.avro.NudgeType.SCHEDULED_PROMPT)
                        .toList();
                assertThat(prompts).extracting(Nudge::getParticipantId).containsExactly("p-on");
            }
            HttpResponse<String> metrics = get(query + "/metrics", null);
            assertThat(metrics.body())
                    .contains("engage_nudges_total{outcome=\"sent\",reason=\"none\",type=\"SCHEDULED_PROMPT\"}")
                    .contains(
                            "engage_nudges_total{outcome=\"suppressed\",reason=\"OPTED_OUT\",type=\"SCHEDULED_PROMPT\"}");
        }
    }

    /** The sent scheduled prompt of {@code slot} in a nudges answer's list, or null. */
    private static JsonNode prompt(JsonNode sent, String slot) {
        for (JsonNode n : sent) {
            if (n.path("type").asText().equals("SCHEDULED_PROMPT")
                    && n.path("slot").asText().equals(slot)) {
                return n;
            }
        }
        return null;
    }

    private void participant(String id, String preferences) throws Exception {
        admin(
                "/v1/participants/" + id,
                "{\"programId\":\"prog-c\",\"timezone\":\"Asia/Kathmandu\",\"consent\":true,\"preferences\":"
                        + preferences + "}");
    }

    private List<String> suppressed(String participant, String date) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        nudges(participant, date)
                .path("suppressed")
                .forEach(n -> out.add(n.path("type").asText() + " "
                        + n.path("slot").asText() + " " + n.path("reason").asText()));
        return out;
    }

    private JsonNode nudges(String participant, String date) throws Exception {
        HttpResponse<String> r = get(query + "/v1/participants/" + participant + "/nudges?date=" + date, read());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode dayView(String participant, String date) throws Exception {
        HttpResponse<String> r = get(query + "/v1/participants/" + participant + "/days/" + date, read());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String read() {
        return tokens.first(ApiTokens.Role.read).orElseThrow();
    }

    private void admin(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + path))
                        .header(
                                "Authorization",
                                "Bearer " + tokens.first(ApiTokens.Role.admin).orElseThrow())
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private void gateway(String device, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + "/v1/devices/" + device + "/readings"))
                        .header(
                                "Authorization",
                                "Bearer " + tokens.first(ApiTokens.Role.gateway).orElseThrow())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).path("rejected")).as(r.body()).isEmpty();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
