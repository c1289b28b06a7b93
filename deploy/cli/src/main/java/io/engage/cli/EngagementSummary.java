package io.engage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.Nudge;
import io.engage.avro.Participant;
import io.engage.avro.PointsAwarded;
import io.engage.avro.Program;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.simulator.Population;
import io.engage.streams.EngagementTopology;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The engagement part of the demo summary, once the engagement topology and the donation ledger caught up: goal days,
 * points, longest streaks, donations by beneficiary and the budget left, top teams. Everything is read as a downstream
 * service would: {@code read_committed} consumers of the output topics and the query API. The donations are checked:
 * no donation id twice with the same status, never more made than the budget, the same counts on the topic and in
 * the query API.
 */
final class EngagementSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngagementSummary() {}

    static void print(
            EngageConfig config,
            LocalStack stack,
            Population population,
            Program program,
            SocialSummary.Cheers cheers,
            PrintWriter out)
            throws Exception {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        waitForEngagement(config, catalogue, new ProgressBar(out, "engagement"));
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        String programId = program.getProgramId();
        long[] goals = new long[3];
        Deserializer<GoalAchieved> goalDe =
                serdes.valueSerde(Topics.GOALS_ACHIEVED).deserializer();
        Set<String> goalIds = new HashSet<>();
        long[] duplicates = new long[1];
        read(config, catalogue.name(Topics.GOALS_ACHIEVED), r -> {
            GoalAchieved g = goalDe.deserialize(r.topic(), r.value());
            if (!g.getProgramId().equals(programId)) {
                return;
            }
            if (!goalIds.add(g.getEventId())) {
                duplicates[0]++;
            }
            goals[g.getMetric() == Metric.steps ? 0 : 1]++;
            goals[2] += g.getLate() ? 1 : 0;
        });
        long[] points = new long[2];
        Deserializer<PointsAwarded> pointsDe =
                serdes.valueSerde(Topics.ENGAGEMENT_POINTS).deserializer();
        read(config, catalogue.name(Topics.ENGAGEMENT_POINTS), r -> {
            PointsAwarded p = pointsDe.deserialize(r.topic(), r.value());
            if (p.getProgramId().equals(programId)) {
                points[0] += p.getPoints();
                points[1]++;
            }
        });
        out.printf(
                "  goal days         %,d step-goal days, %,d active-minutes-goal days (%,d of them for past days)%n",
                goals[0], goals[1], goals[2]);
        out.printf("  points            %,d points in %,d awards%n", points[0], points[1]);
        out.flush();
        if (duplicates[0] > 0) {
            throw new UserException("demo check failed: " + duplicates[0] + " duplicate goal events on goals.achieved");
        }

        HttpClient http = HttpClient.newHttpClient();
        String token = stack.tokens().first(ApiTokens.Role.read).orElseThrow();
        String queryApi = "http://localhost:" + stack.streams().port();
        List<JsonNode> summaries = new ArrayList<>();
        for (Participant p : population.participants()) {
            if (p.getConsent()) {
                get(http, queryApi + "/v1/participants/" + p.getParticipantId(), token)
                        .ifPresent(summaries::add);
            }
        }
        summaries.sort(
                Comparator.comparingInt((JsonNode n) -> n.path("longestStreak").asInt())
                        .thenComparingLong(n -> n.path("points").asLong())
                        .reversed());
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(3, summaries.size()); i++) {
            JsonNode n = summaries.get(i);
            top.append(i == 0 ? "" : ", ")
                    .append(n.path("participantId").asText())
                    .append(' ')
                    .append(n.path("longestStreak").asInt())
                    .append(" d / ")
                    .append(n.path("points").asLong())
                    .append(" pts");
        }
        out.printf("  longest streaks   %s (query API, %d participants)%n", top, summaries.size());
        out.flush();

        donations(config, catalogue, serdes, program, http, queryApi, token, out);
        nudges(config, catalogue, serdes, population, http, queryApi, token, out);
        SocialSummary.print(config, population, cheers, http, queryApi, token, out);
    }

    /**
     * Nudges (docs/coaching.md): sent by type from {@code coaching.nudges} (read_committed; no nudge id twice), held
     * back by reason from the streams process's {@code engage_nudges_total}, and one participant's inbox from the
     * query API.
     */
    private static void nudges(
            EngageConfig config,
            TopicCatalogue catalogue,
            TopicSerdes serdes,
            Population population,
            HttpClient http,
            String queryApi,
            String token,
            PrintWriter out)
            throws Exception {
        Set<String> people = new HashSet<>();
        population.participants().forEach(p -> people.add(p.getParticipantId()));
        Deserializer<Nudge> de = serdes.valueSerde(Topics.COACHING_NUDGES).deserializer();
        Map<String, Long> sent = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        long[] duplicates = new long[1];
        Nudge[] last = new Nudge[1];
        read(config, catalogue.name(Topics.COACHING_NUDGES), r -> {
            Nudge n = de.deserialize(r.topic(), r.value());
            if (!people.contains(n.getParticipantId())) {
                return;
            }
            if (!ids.add(n.getNudgeId())) {
                duplicates[0]++;
            }
            sent.merge(n.getType().name(), 1L, Long::sum);
            last[0] = n;
        });
        Map<String, Long> held = new TreeMap<>();
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create(queryApi + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?m)^engage_nudges_total\\{outcome=\"suppressed\",reason=\"(\\w+)\",type=\"\\w+\"} ([0-9.E]+)$")
                .matcher(metrics.body());
        while (m.find()) {
            held.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        out.printf("  nudges sent       %s on coaching.nudges; held back %s%n", sent, held);
        if (last[0] != null) {
            JsonNode inbox = get(
                            http,
                            queryApi + "/v1/participants/" + last[0].getParticipantId() + "/nudges?date="
                                    + last[0].getDate(),
                            token)
                    .orElse(null);
            if (inbox != null) {
                List<String> lines = new ArrayList<>();
                inbox.path("sent")
                        .forEach(n -> lines.add(
                                n.path("type").asText() + " " + n.path("slot").asText() + ": \""
                                        + n.path("message").asText() + "\""));
                inbox.path("suppressed")
                        .forEach(n -> lines.add(
                                n.path("type").asText() + " " + n.path("slot").asText() + ": held back, "
                                        + n.path("reason").asText()));
                out.printf(
                        "  nudges of %s on %s (query API): %s%n",
                        last[0].getParticipantId(), last[0].getDate(), String.join("; ", lines));
            }
        }
        out.flush();
        if (duplicates[0] > 0) {
            throw new UserException("demo check failed: " + duplicates[0] + " nudges sent twice on coaching.nudges");
        }
    }

    /** Donations from the topic, checked against the budget and the query API. */
    private static void donations(
            EngageConfig config,
            TopicCatalogue catalogue,
            TopicSerdes serdes,
            Program program,
            HttpClient http,
            String queryApi,
            String token,
            PrintWriter out)
            throws Exception {
        Deserializer<Donation> de = serdes.valueSerde(Topics.DONATIONS).deserializer();
        Map<DonationStatus, Long> byStatus = new TreeMap<>();
        Map<String, Long> madeBy = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        Set<String> deferredIds = new HashSet<>();
        long[] duplicates = new long[1];
        long[] team = new long[1];
        read(config, catalogue.name(Topics.DONATIONS), r -> {
            Donation d = de.deserialize(r.topic(), r.value());
            if (!d.getProgramId().equals(program.getProgramId())) {
                return;
            }
            if (!seen.add(d.getDonationId() + "/" + d.getStatus())) {
                duplicates[0]++;
            }
            byStatus.merge(d.getStatus(), 1L, Long::sum);
            if (d.getStatus() == DonationStatus.DEFERRED) {
                deferredIds.add(d.getDonationId());
            } else {
                madeBy.merge(d.getBeneficiary().name(), 1L, Long::sum);
                deferredIds.remove(d.getDonationId());
                team[0] += d.getTeamId() != null ? 1 : 0;
            }
        });
        long made = byStatus.getOrDefault(DonationStatus.TRIGGERED, 0L)
                + byStatus.getOrDefault(DonationStatus.RELEASED, 0L);
        JsonNode api = get(http, queryApi + "/v1/programs/" + program.getProgramId() + "/donations", token)
                .orElse(null);
        out.printf(
                "  donations         %,d made (%,d by teams), %,d deferred; by beneficiary %s; %s%n",
                made, team[0], deferredIds.size(), madeBy, byStatus);
        if (api != null) {
            out.printf(
                    "  budget            %,d of %,d left (query API: %,d triggered, %,d deferred)%n",
                    api.path("remaining").asLong(),
                    api.path("budget").asLong(),
                    api.path("triggered").asLong(),
                    api.path("deferred").asLong());
        }
        out.flush();
        if (duplicates[0] > 0) {
            throw new UserException("demo check failed: " + duplicates[0] + " duplicate donation records");
        }
        if (made > program.getDonationBudget()) {
            throw new UserException(
                    "demo check failed: " + made + " donations made over a budget of " + program.getDonationBudget());
        }
        if (api == null
                || api.path("triggered").asLong() != made
                || api.path("deferred").asLong() != deferredIds.size()) {
            throw new UserException("demo check failed: the query API's donations " + api + " differ from the topic's ("
                    + made + " made, " + deferredIds.size() + " deferred)");
        }
    }

    private static java.util.Optional<JsonNode> get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? java.util.Optional.of(JSON.readTree(r.body())) : java.util.Optional.empty();
    }

    /**
     * Waits until the engagement application (engagement topology, donation ledger, team standings and received
     * cheers) has committed offsets up to
     * the end of everything it reads, and stays there across two team-step flushes; gives up when its progress stalls
     * for three minutes.
     */
    static void waitForEngagement(EngageConfig config, TopicCatalogue catalogue, ProgressBar bar) throws Exception {
        String group = EngagementTopology.applicationId(config);
        String normalized = catalogue.name(Topics.READINGS_NORMALIZED);
        List<String> repartitions = List.of(
                group + "-" + EngagementTopology.DONATION_INTENTS + "-repartition",
                group + "-" + EngagementTopology.TEAM_DAY_STEPS + "-repartition",
                group + "-" + EngagementTopology.CHEERS_RECEIVED + "-repartition");
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config));
                KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                        KafkaClientConfigs.consumer(config, null),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> inputs = new ArrayList<>(partitions(c, normalized));
            inputs.addAll(partitions(c, catalogue.name(Topics.SOCIAL_CHEERS)));
            long lastProgress = System.nanoTime();
            long lastCommitted = -1;
            long caughtUpSince = 0;
            while (true) {
                List<TopicPartition> all = new ArrayList<>(inputs);
                Set<String> existing = c.listTopics(Duration.ofSeconds(30)).keySet();
                for (String repartition : repartitions) {
                    if (existing.contains(repartition)) {
                        all.addAll(partitions(c, repartition));
                    }
                }
                Map<TopicPartition, Long> end = c.endOffsets(all, Duration.ofSeconds(30));
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                long done = 0;
                long total = 0;
                boolean caughtUp = true;
                for (TopicPartition tp : all) {
                    long e = end.get(tp);
                    OffsetAndMetadata m = committed.get(tp);
                    long at = m == null ? 0 : m.offset();
                    // a repartition topic's records are deleted once processed: its start may be past a missing commit
                    caughtUp &= at >= e
                            || (m == null && c.beginningOffsets(List.of(tp)).get(tp) >= e);
                    if (tp.topic().equals(normalized)) {
                        done += Math.min(at, e);
                        total += e;
                    }
                }
                if (done != lastCommitted) {
                    lastCommitted = done;
                    lastProgress = System.nanoTime();
                }
                String detail = String.format(Locale.ROOT, "%,d of %,d normalised readings processed", done, total);
                if (caughtUp) {
                    if (caughtUpSince == 0) {
                        caughtUpSince = System.nanoTime();
                    } else if (System.nanoTime() - caughtUpSince > TimeUnit.SECONDS.toNanos(3)) {
                        bar.done(detail + ", donation ledger settled");
                        return;
                    }
                } else {
                    caughtUpSince = 0;
                }
                bar.update(total == 0 ? 1 : done / (double) total, detail);
                if (System.nanoTime() - lastProgress > TimeUnit.MINUTES.toNanos(3)) {
                    throw new UserException("the engagement topology made no progress for 3 minutes (" + detail + ")");
                }
                Thread.sleep(1000);
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /** A record's raw key and value. */
    record Raw(String topic, byte[] rawKey, byte[] value) {}

    /** Reads a whole topic (read_committed) up to its end at the start, passing each record with a value. */
    static void read(EngageConfig config, String topic, Consumer<Raw> each) {
        try {
            TopicToEnd.read(KafkaClientConfigs.consumer(config, null), topic, Duration.ofMinutes(3), r -> {
                if (r.value() != null) {
                    each.accept(new Raw(r.topic(), r.key(), r.value()));
                }
            });
        } catch (IllegalStateException e) {
            throw new UserException("the summary " + e.getMessage());
        }
    }
}
