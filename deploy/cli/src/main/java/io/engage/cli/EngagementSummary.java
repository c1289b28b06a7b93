package io.engage.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.Participant;
import io.engage.avro.PointsAwarded;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.ingest.simulator.Population;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementTopology;

/** The engagement part of the demo summary: goal days, points and streaks, once the engagement topology caught up. */
final class EngagementSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngagementSummary() {
    }

    static void print(EngageConfig config, LocalStack stack, Population population, Map<TopicPartition, Long> normalizedFrom,
                      PrintWriter out) throws Exception {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        waitForEngagement(config, catalogue);
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        long stepGoalDays = 0;
        long activeGoalDays = 0;
        long late = 0;
        for (GoalAchieved g : read(config, catalogue.name(Topics.GOALS_ACHIEVED),
                r -> serdes.valueSerde(Topics.GOALS_ACHIEVED).deserializer().deserialize(r.topic(), r.value()))) {
            if (!g.getProgramId().equals(population.program().getProgramId())) {
                continue;
            }
            if (g.getMetric() == Metric.steps) {
                stepGoalDays++;
            } else if (g.getMetric() == Metric.active_minutes) {
                activeGoalDays++;
            }
            if (g.getLate()) {
                late++;
            }
        }
        long points = 0;
        long awards = 0;
        for (PointsAwarded p : read(config, catalogue.name(Topics.ENGAGEMENT_POINTS),
                r -> serdes.valueSerde(Topics.ENGAGEMENT_POINTS).deserializer().deserialize(r.topic(), r.value()))) {
            if (p.getProgramId().equals(population.program().getProgramId())) {
                points += p.getPoints();
                awards++;
            }
        }
        out.printf("  goal days         %,d step-goal days, %,d active-minutes-goal days (%,d of them for past days)%n",
                stepGoalDays, activeGoalDays, late);
        out.printf("  points            %,d points in %,d awards%n", points, awards);
        out.flush();

        List<JsonNode> summaries = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        String token = stack.tokens().first(ApiTokens.Role.read).orElseThrow();
        for (Participant p : population.participants()) {
            if (!p.getConsent()) {
                continue;
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.streams().port()
                    + "/v1/participants/" + p.getParticipantId())).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                summaries.add(JSON.readTree(r.body()));
            }
        }
        summaries.sort(Comparator.comparingInt((JsonNode n) -> n.path("longestStreak").asInt())
                .thenComparingLong(n -> n.path("points").asLong()).reversed());
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(3, summaries.size()); i++) {
            JsonNode n = summaries.get(i);
            top.append(i == 0 ? "" : ", ").append(n.path("participantId").asText()).append(' ')
                    .append(n.path("longestStreak").asInt()).append(" d / ").append(n.path("points").asLong()).append(" pts");
        }
        out.printf("  longest streaks   %s (query API, %d participants)%n", top, summaries.size());
        out.flush();
    }

    /** Waits until the engagement application has committed offsets up to the end of readings.normalized. */
    private static void waitForEngagement(EngageConfig config, TopicCatalogue catalogue) throws Exception {
        String group = EngagementTopology.applicationId(config);
        String topic = catalogue.name(Topics.READINGS_NORMALIZED);
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config));
             KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClientConfigs.consumer(config, null),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                boolean caughtUp = tps.stream().allMatch(tp -> end.get(tp) == 0
                        || (committed.get(tp) != null && committed.get(tp).offset() >= end.get(tp)));
                if (caughtUp) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new UserException("the engagement topology did not catch up with readings.normalized within 3 minutes");
        }
    }

    private static <T> List<T> read(EngageConfig config, String topic,
                                    java.util.function.Function<ConsumerRecord<String, byte[]>, T> decode) {
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClientConfigs.consumer(config, null),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        out.add(decode.apply(r));
                    }
                }
            }
        }
        return out;
    }
}
