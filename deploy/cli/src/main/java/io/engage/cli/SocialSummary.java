package io.engage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.DailyActivity;
import io.engage.avro.Participant;
import io.engage.avro.ParticipantDay;
import io.engage.config.EngageConfig;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.simulator.Population;
import io.engage.streams.social.Leaderboards;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The demo's social part (docs/social.md): cheers among team members through the admin API, then the week's top
 * participants and teams from the leaderboard API next to the same figures computed here from {@code activity.daily},
 * and the cheers the streams process counted next to what the demo expects.
 */
final class SocialSummary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOP = 5;

    private SocialSummary() {}

    /** What the demo sent and expects of it. */
    record Cheers(int posted, long counted, Map<String, Long> dropped) {}

    /**
     * Each participant cheers the next member of their team twice (two and one hour ago) and re-sends the first: a
     * cheer between two consenting participants counts once (the re-sent one is a duplicate); one to or from a
     * participant without consent is dropped.
     */
    static Cheers sendCheers(Population population, String adminApi, String adminToken) throws Exception {
        Map<String, List<Participant>> teams = new TreeMap<>();
        for (Participant p : population.participants()) {
            if (p.getTeamId() != null) {
                teams.computeIfAbsent(p.getTeamId(), t -> new ArrayList<>()).add(p);
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int posted = 0;
        long counted = 0;
        Map<String, Long> dropped = new TreeMap<>();
        for (List<Participant> members : teams.values()) {
            if (members.size() < 2) {
                continue;
            }
            for (int i = 0; i < members.size(); i++) {
                Participant from = members.get(i);
                Participant to = members.get((i + 1) % members.size());
                boolean counts = from.getConsent() && to.getConsent();
                for (Instant at : List.of(now.minus(2, ChronoUnit.HOURS), now.minus(1, ChronoUnit.HOURS))) {
                    post(http, adminApi, adminToken, from.getParticipantId(), to.getParticipantId(), at);
                    posted++;
                }
                post(
                        http,
                        adminApi,
                        adminToken,
                        from.getParticipantId(),
                        to.getParticipantId(),
                        now.minus(2, ChronoUnit.HOURS));
                posted++;
                if (counts) {
                    counted += 2;
                    dropped.merge("DUPLICATE", 1L, Long::sum);
                } else {
                    dropped.merge("NO_CONSENT", 3L, Long::sum);
                }
            }
        }
        return new Cheers(posted, counted, dropped);
    }

    private static void post(HttpClient http, String api, String token, String from, String to, Instant at)
            throws Exception {
        String body = JSON.writeValueAsString(Map.of("from", from, "to", to, "kind", "cheer", "at", at.toString()));
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/cheers"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new UserException("POST /v1/cheers answered " + r.statusCode() + ": " + r.body());
        }
    }

    /**
     * Prints the cheers counted by the streams process ({@code engage_cheers_total}) against {@code sent}, and the
     * week's top participants and teams from the leaderboard API against {@code activity.daily}; a difference fails
     * the demo.
     */
    static void print(
            EngageConfig config,
            Population population,
            Cheers sent,
            HttpClient http,
            String queryApi,
            String token,
            PrintWriter out)
            throws Exception {
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create(queryApi + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Long> seen = new TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?m)^engage_cheers_total\\{outcome=\"(\\w+)\",reason=\"(\\w*)\"} ([0-9.E]+)$")
                .matcher(metrics.body());
        while (m.find()) {
            seen.merge(
                    m.group(1).equals("counted") ? "counted" : m.group(2),
                    (long) Double.parseDouble(m.group(3)),
                    Long::sum);
        }
        Map<String, Long> expected = new TreeMap<>(sent.dropped());
        expected.put("counted", sent.counted());
        out.printf(
                "  cheers            %,d posted among team members: %s (engage_cheers_total), expected %s%n",
                sent.posted(), seen, expected);
        out.flush();
        if (!seen.equals(expected)) {
            throw new UserException("demo check failed: cheers counted " + seen + ", expected " + expected);
        }

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Map<String, Participant> people = new HashMap<>();
        population.participants().forEach(p -> people.put(p.getParticipantId(), p));
        Map<String, Long> dayOf = new HashMap<>();
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        Deserializer<ParticipantDay> keys =
                serdes.keySerde(Topics.ACTIVITY_DAILY).deserializer();
        Deserializer<DailyActivity> values =
                serdes.valueSerde(Topics.ACTIVITY_DAILY).deserializer();
        EngagementSummary.read(config, catalogue.name(Topics.ACTIVITY_DAILY), r -> {
            ParticipantDay k = keys.deserialize(r.topic(), r.rawKey());
            if (people.containsKey(k.getParticipantId())
                    && !k.getDate().isBefore(monday)
                    && !k.getDate().isAfter(monday.plusDays(6))) {
                dayOf.put(
                        k.getParticipantId() + "/" + k.getDate(),
                        values.deserialize(r.topic(), r.value()).getSteps());
            }
        });
        Map<String, Long> participantWeek = new HashMap<>();
        Map<String, Long> teamWeek = new HashMap<>();
        dayOf.forEach((key, steps) -> {
            Participant p = people.get(key.substring(0, key.indexOf('/')));
            if (p.getPreferences() == null || p.getPreferences().getLeaderboardVisible()) {
                participantWeek.merge(p.getParticipantId(), steps, Long::sum);
            }
            if (p.getTeamId() != null) {
                teamWeek.merge(p.getTeamId(), steps, Long::sum);
            }
        });
        String programId = population.program().getProgramId();
        String query = "?period=week&date=" + today + "&limit=" + TOP;
        compare(
                "top participants",
                top(participantWeek),
                fromApi(http, queryApi + "/v1/programs/" + programId + "/leaderboard" + query, token, "participantId"),
                monday,
                out);
        compare(
                "top teams",
                top(teamWeek),
                fromApi(http, queryApi + "/v1/programs/" + programId + "/teams/leaderboard" + query, token, "teamId"),
                monday,
                out);
    }

    /** The best {@link #TOP} by steps, ranked as the leaderboard ranks them (ties by id). */
    private static Map<String, Long> top(Map<String, Long> steps) {
        return Leaderboards.top(steps, TOP);
    }

    private static Map<String, Long> fromApi(HttpClient http, String url, String token, String idField)
            throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new UserException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (JsonNode e : JSON.readTree(r.body()).path("entries")) {
            out.put(e.path(idField).asText(), e.path("steps").asLong());
        }
        return out;
    }

    private static void compare(
            String what, Map<String, Long> computed, Map<String, Long> api, LocalDate monday, PrintWriter out) {
        StringBuilder line = new StringBuilder();
        api.forEach((id, steps) -> line.append(line.length() == 0 ? "" : ", ")
                .append(id)
                .append(String.format(Locale.ROOT, " %,d", steps)));
        out.printf(
                "  %-17s week of %s: %s (leaderboard API; %s from activity.daily)%n",
                what, monday, line, computed.equals(api) ? "the same" : "DIFFERENT: " + computed);
        out.flush();
        if (!computed.equals(api)) {
            throw new UserException("demo check failed: " + what + " from the leaderboard API " + api
                    + ", from activity.daily " + computed);
        }
    }
}
