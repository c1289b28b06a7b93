package io.engage.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.GoalAchieved;
import io.engage.avro.LocalTimeRange;
import io.engage.avro.Metric;
import io.engage.avro.Nudge;
import io.engage.avro.Preferences;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementStores;
import io.engage.streams.coaching.NudgeRecord;
import io.engage.streams.testing.EngagementDriver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline counts fed from what the engagement topology really writes (docs/query.md, "Pipeline counts"): its
 * {@code goals.achieved} events and its nudge records store as the store's changelog carries it, plus dead letters and
 * normalised readings; tombstones and unreadable records change nothing.
 */
class PipelineFeedTest {
    private static final LocalTimeRange NO_ACTIVE_HOURS = new LocalTimeRange(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private final EngagementDriver d = new EngagementDriver();
    private final PipelineTally tally = new PipelineTally();
    private long offset;

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void countsGoalDaysAndNudgeDecisionsAsTheTopologyWroteThem() {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setPromptTimes(List.of(LocalTime.parse("13:30")))
                .setActiveHours(NO_ACTIVE_HOURS)
                .build());
        d.profile(EngagementDriver.participant("p-on", "Europe/Berlin").build());
        d.profile(EngagementDriver.participant("p-off", "Europe/Berlin")
                .setPreferences(Preferences.newBuilder().setCoaching(false).build())
                .build());
        d.profile(EngagementDriver.participant("p-slow", "Europe/Berlin").build());
        for (String p : List.of("p-on", "p-off")) {
            d.steps(p, "trk-" + p, 8000, "2026-11-20T07:00:00+01:00", "2026-11-20T10:00:00+01:00")
                    .send();
        }
        d.steps("p-slow", "trk-p-slow", 500, "2026-11-20T07:00:00+01:00", "2026-11-20T08:00:00+01:00")
                .send();
        d.wallClockTo(Instant.parse("2026-11-20T12:30:00.500Z")); // 13:30 in Berlin: the prompt
        d.collect();

        TopicCatalogue catalogue = new TopicCatalogue(d.config.topicPrefix());
        TopicSerdes serdes = new TopicSerdes(d.config.registryClientConfigs());
        String changelog = PipelineFeed.nudgesChangelog(d.config);
        PipelineFeed.Router router = new PipelineFeed.Router(catalogue, serdes, changelog, tally);
        assertThat(router.topics())
                .containsExactly(
                        catalogue.name(Topics.READINGS_NORMALIZED),
                        catalogue.name(Topics.READINGS_REJECTED),
                        catalogue.name(Topics.GOALS_ACHIEVED),
                        changelog);

        String goals = catalogue.name(Topics.GOALS_ACHIEVED);
        Serializer<GoalAchieved> goalBytes =
                serdes.valueSerde(Topics.GOALS_ACHIEVED).serializer();
        for (GoalAchieved g : d.goals) {
            router.accept(record(goals, g.getParticipantId(), goalBytes.serialize(goals, g)));
        }
        List<NudgeRecord> records = new ArrayList<>();
        Serializer<NudgeRecord> recordBytes = NudgeRecord.serde().serializer();
        try (var all = d.driver
                .<String, NudgeRecord>getKeyValueStore(EngagementStores.NUDGES)
                .all()) {
            all.forEachRemaining((KeyValue<String, NudgeRecord> kv) -> {
                records.add(kv.value);
                router.accept(record(changelog, kv.key, recordBytes.serialize(changelog, kv.value)));
                // an expiry's tombstone later: what was decided stays counted
                router.accept(record(changelog, kv.key, null));
            });
        }
        String rejected = catalogue.name(Topics.READINGS_REJECTED);
        Serializer<RejectedReading> rejectedBytes =
                serdes.valueSerde(Topics.READINGS_REJECTED).serializer();
        for (RejectReason reason :
                List.of(RejectReason.UNKNOWN_DEVICE, RejectReason.NO_CONSENT, RejectReason.UNKNOWN_DEVICE)) {
            RejectedReading r = RejectedReading.newBuilder()
                    .setDeviceId("dev-x")
                    .setMetric("steps")
                    .setReason(reason)
                    .setRejectedAt(EngagementDriver.NOW)
                    .build();
            router.accept(record(rejected, "dev-x", rejectedBytes.serialize(rejected, r)));
        }
        String normalized = catalogue.name(Topics.READINGS_NORMALIZED);
        router.accept(record(normalized, "p-on", new byte[] {0, 0, 0, 0, 1}));
        router.accept(record(normalized, "p-off", new byte[] {0, 0, 0, 0, 1}));
        // unreadable: skipped, the next records still count
        router.accept(record(rejected, "dev-y", new byte[] {7, 7}));
        router.accept(record(goals, "p-x", new byte[] {7}));

        // the oracle: what the topology emitted and recorded
        assertThat(d.goals).extracting(GoalAchieved::getParticipantId).containsExactlyInAnyOrder("p-on", "p-off");
        assertThat(tally.goalDays(EngagementDriver.PROGRAM, DAY))
                .isEqualTo(new PipelineTally.GoalDays(
                        d.goals.stream()
                                .filter(g -> g.getMetric() == Metric.steps)
                                .count(),
                        d.goals.stream()
                                .filter(g -> g.getMetric() == Metric.active_minutes)
                                .count()));
        Map<String, Long> sentByType = new TreeMap<>();
        for (Nudge n : d.nudges) {
            sentByType.merge(n.getType().name(), 1L, Long::sum);
        }
        Map<String, Long> heldByReason = new TreeMap<>();
        records.stream()
                .filter(r -> !r.sent())
                .forEach(r -> heldByReason.merge(r.reason().name(), 1L, Long::sum));
        assertThat(sentByType).containsKeys("CELEBRATION", "SCHEDULED_PROMPT");
        assertThat(heldByReason).containsKey("COACHING_OFF");
        assertThat(tally.nudges(DAY))
                .isEqualTo(new PipelineTally.Nudges(
                        d.nudges.size(), sentByType, records.size() - d.nudges.size(), heldByReason));
        assertThat(tally.readings())
                .isEqualTo(new PipelineTally.Readings(2, 3, Map.of("NO_CONSENT", 1L, "UNKNOWN_DEVICE", 2L)));
    }

    private ConsumerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset++, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
