package io.engage.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Nudge;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/coaching.md through the public APIs of {@code ./engage local}, as a new programme would try it, and across a
 * crash: a prompt time a minute ahead in the participants' zone, three participants whose preferences differ, then
 * {@code kill -9} of the whole stack just after the prompt is due and a restart on the same data directory. Whether the
 * kill came before the slot was decided, between the decision and its commit, or after the commit, the participant who
 * allows the prompt gets it exactly once on {@code coaching.nudges} (read_committed) and once in their nudges; the
 * opted-out and the quiet participant get nothing and their nudges list the held-back prompt with its reason.
 */
@Tag("integration")
@Tag("chaos")
class CoachingKillIntegrationTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("America/St_Johns"); // UTC-03:30
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private ChildJvm stack;

    @AfterEach
    void killChildren() {
        ChildJvm.killAll();
        assertThat(ChildJvm.liveCount()).as("no child JVM outlives the test").isZero();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aPromptDueAtAKillReachesWhoAllowsItExactlyOnceAndTheHeldBackOnesAreListed() throws Exception {
        LocalStackChild local = LocalStackChild.prepare("coaching-" + System.currentTimeMillis());
        String ingestUrl = local.ingestUrl();
        String queryUrl = local.queryUrl();
        stack = local.start();
        JsonNode tokens = local.tokens();
        String admin = tokens.get("admin").asText();
        String read = tokens.get("read").asText();

        ZonedDateTime now = ZonedDateTime.now(ZONE);
        ZonedDateTime prompt =
                now.plusSeconds(30).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        String slot = HH_MM.format(prompt);
        LocalStackChild.put(
                ingestUrl,
                admin,
                "/v1/programs/prog-k",
                "{\"promptTimes\":[\"" + slot + "\"]," + "\"activeHours\":{\"start\":\"03:00\",\"end\":\"03:01\"}}");
        String awake = "\"quietHours\":{\"start\":\"03:00\",\"end\":\"03:01\"}";
        Map<String, String> preferences = Map.of(
                "p-on", "{" + awake + ",\"channel\":\"sms\"}",
                "p-out", "{" + awake + ",\"optOut\":[\"SCHEDULED_PROMPT\"]}",
                "p-quiet",
                        "{\"quietHours\":{\"start\":\"" + HH_MM.format(prompt.minusMinutes(30)) + "\",\"end\":\""
                                + HH_MM.format(prompt.plusMinutes(30)) + "\"}}");
        for (var p : preferences.entrySet()) {
            LocalStackChild.put(
                    ingestUrl,
                    admin,
                    "/v1/participants/" + p.getKey(),
                    "{\"programId\":\"prog-k\",\"timezone\":\"" + ZONE.getId() + "\",\"consent\":true,\"preferences\":"
                            + p.getValue() + "}");
            LocalStackChild.put(
                    ingestUrl,
                    admin,
                    "/v1/devices/trk-" + p.getKey(),
                    "{\"participantId\":\"" + p.getKey() + "\",\"type\":\"tracker\"}");
        }
        ZonedDateTime start = now.minusMinutes(20);
        String reading = String.format(
                Locale.ROOT,
                "[{\"metric\":\"steps\",\"value\":900,\"unit\":\"steps\",\"start\":\"%s\",\"end\":\"%s\"}]",
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start),
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plusMinutes(10)));
        // the device pairing reaches the normaliser's global store shortly after the PUT: retry until counted
        String gateway = tokens.get("gateway").asText();
        String date = start.plusMinutes(10).toLocalDate().toString();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    boolean all = true;
                    for (String p : preferences.keySet()) {
                        post(ingestUrl + "/v1/devices/trk-" + p + "/readings", gateway, reading);
                        HttpResponse<String> day =
                                LocalStackChild.get(queryUrl + "/v1/participants/" + p + "/days/" + date, read);
                        all &= day != null
                                && day.statusCode() == 200
                                && JSON.readTree(day.body())
                                                .path("totals")
                                                .path("steps")
                                                .asLong()
                                        > 0;
                    }
                    return all;
                });
        assertThat(ZonedDateTime.now(ZONE)).as("set up before the prompt").isBefore(prompt);

        // the check runs once a second: at 600 ms past the due time it has decided the slot or is about to, and its
        // transaction commits within the next 100 ms
        long dueIn = Duration.between(Instant.now(), prompt.toInstant()).toMillis() + 600;
        ChildJvm.sleep(Math.max(0, dueIn));
        stack.kill();
        Instant killedAt = Instant.now();
        log(
                "killed the stack %d ms after the prompt was due",
                Duration.between(prompt.toInstant(), Instant.now()).toMillis());
        stack = local.start();

        String today = prompt.toLocalDate().toString();
        String id = "nudge:p-on:" + today + ":SCHEDULED_PROMPT:" + slot;
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode on = nudges(queryUrl, read, "p-on", today);
                    assertThat(on.path("sent").findValuesAsText("nudgeId")).containsOnlyOnce(id);
                    assertThat(held(nudges(queryUrl, read, "p-out", today)))
                            .containsOnlyOnce("SCHEDULED_PROMPT " + slot + " OPTED_OUT");
                    assertThat(held(nudges(queryUrl, read, "p-quiet", today)))
                            .containsOnlyOnce("SCHEDULED_PROMPT " + slot + " QUIET_HOURS");
                });
        JsonNode sent = nudges(queryUrl, read, "p-on", today).path("sent");
        for (JsonNode n : sent) {
            if (n.path("nudgeId").asText().equals(id)) {
                assertThat(n.path("channel").asText()).isEqualTo("sms");
                assertThat(n.path("dueAt").asText())
                        .isEqualTo(prompt.toInstant().toString());
                assertThat(n.path("message").asText()).contains("of 7,000 steps");
                log(
                        "the prompt was decided %s",
                        Instant.parse(n.path("at").asText()).isBefore(killedAt)
                                ? "before the kill and committed"
                                : "after the restart");
            }
        }
        TopicSerdes serdes = new TopicSerdes(Map.of("schema.registry.url", "http://localhost:" + local.registry));
        try (CommittedTopic<String, Nudge> nudges =
                new CommittedTopic<>(local.bootstrap(), TopicCatalogue.unprefixed(), serdes, Topics.COACHING_NUDGES)) {
            // the query reads the stores, which hold a decision before its commit: wait for the commit, then
            // let two more commit intervals pass so a second copy would show
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> nudges.drain().stream()
                            .anyMatch(r -> r.value().getNudgeId().equals(id)));
            ChildJvm.sleep(1_000);
            List<String> prompts = nudges.drain().stream()
                    .map(r -> r.value().getNudgeId())
                    .filter(n -> n.contains(":SCHEDULED_PROMPT:" + slot))
                    .toList();
            assertThat(prompts).as("prompts on coaching.nudges, read_committed").containsExactly(id);
        }
    }

    private static JsonNode nudges(String queryUrl, String read, String participant, String date) throws Exception {
        HttpResponse<String> r =
                LocalStackChild.get(queryUrl + "/v1/participants/" + participant + "/nudges?date=" + date, read);
        assertThat(r).isNotNull();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The held-back nudges of an answer as {@code type slot reason}. */
    private static List<String> held(JsonNode answer) {
        List<String> out = new java.util.ArrayList<>();
        answer.path("suppressed")
                .forEach(n -> out.add(n.path("type").asText() + " "
                        + n.path("slot").asText() + " " + n.path("reason").asText()));
        return out;
    }

    private static void post(String url, String token, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST " + url + ": " + r.body()).isEqualTo(202);
    }

    private static void log(String format, Object... args) {
        System.out.printf(
                "[coaching kill -9 %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
    }
}
