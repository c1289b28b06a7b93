package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.engage.avro.Channel;
import io.engage.avro.DailyActivity;
import io.engage.avro.HeartRateSummary;
import io.engage.avro.Nudge;
import io.engage.avro.NudgeType;
import io.engage.avro.ParticipantDay;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** docs/replay.md: the rows of an export, in JSON lines and in CSV that a spreadsheet opens as it should. */
class ExportWriterTest {
    private static final Instant T = Instant.parse("2026-11-30T08:15:00.123Z");

    private static DailyActivity day(HeartRateSummary hr) {
        return DailyActivity.newBuilder()
                .setParticipantId("p-1")
                .setDate(LocalDate.parse("2026-11-30"))
                .setZoneId("Europe/Berlin")
                .setSteps(7256)
                .setDistance(5120.5)
                .setActiveMinutes(31)
                .setCalories(240.25)
                .setHeartRate(hr)
                .setStepGoal(7000)
                .setActiveMinutesGoal(30)
                .setStepsAchieved(true)
                .setActiveMinutesAchieved(true)
                .setUpdatedAt(T)
                .build();
    }

    private static String csv(Class<?> key, Class<?> value, ExportRecord... records) {
        StringWriter out = new StringWriter();
        try (ExportWriter w = ExportWriter.of(
                ExportWriter.Format.csv, out, ReplayCommand.avroSchema(key), ReplayCommand.avroSchema(value))) {
            for (ExportRecord r : records) {
                w.write(r);
            }
        }
        return out.toString();
    }

    private static List<Map<String, String>> readCsv(String text) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper()
                .readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(text)) {
            return it.readAll();
        }
    }

    @Test
    void csvHasAHeaderAndOneColumnPerFieldWithNestedRecordsFlattenedWithDots() throws Exception {
        ParticipantDay key = new ParticipantDay("p-1", LocalDate.parse("2026-11-30"));
        String text = csv(
                ParticipantDay.class,
                DailyActivity.class,
                new ExportRecord(
                        "activity.daily", 3, 41, T, key, day(new HeartRateSummary(58.0, 131.0, 74.5, 96L)), null),
                new ExportRecord("activity.daily", 3, 42, T, key, day(null), null),
                new ExportRecord("activity.daily", 3, 43, T, key, null, null));
        String header = text.lines().findFirst().orElseThrow();
        assertThat(header)
                .isEqualTo("partition,offset,timestamp,key.participantId,key.date,participantId,date,zoneId,steps,"
                        + "distance,activeMinutes,calories,heartRate.min,heartRate.max,heartRate.mean,heartRate.count,"
                        + "stepGoal,activeMinutesGoal,stepsAchieved,activeMinutesAchieved,updatedAt,error");
        List<Map<String, String>> rows = readCsv(text);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0))
                .containsEntry("partition", "3")
                .containsEntry("offset", "41")
                .containsEntry("timestamp", "2026-11-30T08:15:00.123Z")
                .containsEntry("key.date", "2026-11-30")
                .containsEntry("date", "2026-11-30")
                .containsEntry("steps", "7256")
                .containsEntry("calories", "240.25")
                .containsEntry("heartRate.mean", "74.5")
                .containsEntry("updatedAt", "2026-11-30T08:15:00.123Z")
                .containsEntry("error", "");
        assertThat(rows.get(1))
                .as("no heart rate: empty cells")
                .containsEntry("heartRate.min", "")
                .containsEntry("steps", "7256");
        assertThat(rows.get(2))
                .as("a tombstone: the key, no value")
                .containsEntry("key.participantId", "p-1")
                .containsEntry("steps", "");
    }

    @Test
    void csvQuotesCommasQuotesAndLineBreaksSoTheyRoundTrip() throws Exception {
        String message = "Goal reached: 7,256 of 7,000 steps today. \"Well done!\"\nSee you tomorrow";
        Nudge n = Nudge.newBuilder()
                .setNudgeId("nudge:p-1:2026-11-30:CELEBRATION:goal")
                .setParticipantId("p-1")
                .setType(NudgeType.CELEBRATION)
                .setDate(LocalDate.parse("2026-11-30"))
                .setSlot("goal")
                .setChannel(Channel.push)
                .setStepsSoFar(7256)
                .setStepGoal(7000)
                .setMessage(message)
                .setDueAt(T)
                .setAt(T)
                .build();
        List<Map<String, String>> rows =
                readCsv(csv(String.class, Nudge.class, new ExportRecord("coaching.nudges", 0, 7, T, "p-1", n, null)));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r)
                    .containsEntry("key", "p-1")
                    .containsEntry("message", message)
                    .containsEntry("type", "CELEBRATION");
            assertThat(r).containsEntry("channel", "push");
        });
    }

    @Test
    void jsonLinesKeepRecordsWholeWithReadableTimes() throws Exception {
        StringWriter out = new StringWriter();
        ParticipantDay key = new ParticipantDay("p-1", LocalDate.parse("2026-11-30"));
        try (ExportWriter w = ExportWriter.of(ExportWriter.Format.jsonl, out, null, null)) {
            w.write(new ExportRecord(
                    "activity.daily", 1, 5, T, key, day(new HeartRateSummary(58.0, 131.0, 74.5, 96L)), null));
            w.write(new ExportRecord("activity.daily", 1, 6, T, key, null, "value: not Confluent wire format"));
        }
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-11-30T08:15:00.123Z");
        assertThat(first.path("key").path("date").asText()).isEqualTo("2026-11-30");
        assertThat(first.path("value").path("heartRate").path("max").asDouble()).isEqualTo(131.0);
        assertThat(first.path("value").path("updatedAt").asText()).isEqualTo("2026-11-30T08:15:00.123Z");
        assertThat(first.has("error")).isFalse();
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.path("value").isNull()).isTrue();
        assertThat(second.path("error").asText()).contains("wire format");
    }

    @Test
    void noValueOfTheCatalogueHasAFieldNamedLikeTheColumnsEveryRowStartsWith() {
        for (TopicSpec<?, ?> spec : Topics.all()) {
            Schema value = ReplayCommand.avroSchema(spec.valueType());
            if (value != null) {
                assertThat(value.getFields())
                        .as(spec.baseName())
                        .extracting(Schema.Field::name)
                        .doesNotContainAnyElementsOf(ExportWriter.META)
                        .doesNotContain("error")
                        .noneMatch(n -> n.equals("key") || n.startsWith("key."));
            }
        }
    }
}
