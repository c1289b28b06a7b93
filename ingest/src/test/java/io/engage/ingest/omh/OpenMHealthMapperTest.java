package io.engage.ingest.omh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenMHealthMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static OpenMHealthMapper.Mapped map(String json) throws Exception {
        return OpenMHealthMapper.map(JSON.readTree(json), "dev-1", NOW, "gateway-0");
    }

    private static RawReading reading(String json) throws Exception {
        OpenMHealthMapper.Mapped m = map(json);
        assertThat(m).isInstanceOf(OpenMHealthMapper.Mapped.Reading.class);
        return ((OpenMHealthMapper.Mapped.Reading) m).reading();
    }

    private static String point(String name, String body) {
        return "{\"header\":{\"id\":\"h-1\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"" + name
                + "\",\"version\":\"2.0\"}},\"body\":" + body + "}";
    }

    @Test
    void timeIntervalGivenAsStartAndEnd() throws Exception {
        RawReading r = reading(
                point(
                        "step-count",
                        "{\"step_count\":1200,\"effective_time_frame\":{\"time_interval\":"
                                + "{\"start_date_time\":\"2026-11-25T09:00:00+05:45\",\"end_date_time\":\"2026-11-25T10:00:00+05:45\"}}}"));
        assertThat(r.getMetric()).isEqualTo("steps");
        assertThat(r.getValue()).isEqualTo(1200);
        assertThat(r.getUnit()).isEqualTo("steps");
        assertThat(r.getStart()).isEqualTo("2026-11-25T09:00:00+05:45");
        assertThat(r.getEnd()).isEqualTo("2026-11-25T10:00:00+05:45");
        assertThat(r.getSourceRecordId()).isEqualTo("h-1");
        assertThat(r.getReceivedAt()).isEqualTo(NOW);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "30,min,2026-11-25T09:30+01:00",
        "2,h,2026-11-25T11:00+01:00",
        "90,sec,2026-11-25T09:01:30+01:00",
        "1,d,2026-11-26T09:00+01:00",
        "1500,ms,2026-11-25T09:00:01.500+01:00"
    })
    void timeIntervalGivenAsStartAndDurationKeepsTheOffset(String value, String unit, String expectedEnd)
            throws Exception {
        RawReading r = reading(point(
                "minutes-moderate-activity",
                "{\"minutes_moderate_activity\":{\"value\":10,\"unit\":\"min\"},"
                        + "\"effective_time_frame\":{\"time_interval\":{\"start_date_time\":\"2026-11-25T09:00:00+01:00\","
                        + "\"duration\":{\"value\":" + value + ",\"unit\":\"" + unit + "\"}}}}"));
        assertThat(r.getMetric()).isEqualTo("active_minutes");
        assertThat(OffsetDateTime.parse(r.getEnd())).isEqualTo(OffsetDateTime.parse(expectedEnd));
        assertThat(OffsetDateTime.parse(r.getEnd()).getOffset())
                .isEqualTo(OffsetDateTime.parse(expectedEnd).getOffset());
    }

    @Test
    void timeIntervalGivenAsEndAndDuration() throws Exception {
        RawReading r = reading(point(
                "calories-burned",
                "{\"kcal_burned\":{\"value\":150,\"unit\":\"kcal\"},"
                        + "\"effective_time_frame\":{\"time_interval\":{\"end_date_time\":\"2026-11-25T10:00:00Z\","
                        + "\"duration\":{\"value\":1,\"unit\":\"h\"}}}}"));
        assertThat(r.getMetric()).isEqualTo("calories");
        assertThat(r.getUnit()).isEqualTo("kcal");
        assertThat(OffsetDateTime.parse(r.getStart()).toInstant()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
    }

    @Test
    void heartRateAtAPointInTime() throws Exception {
        RawReading r = reading(point(
                "heart-rate",
                "{\"heart_rate\":{\"value\":61,\"unit\":\"beats/min\"},"
                        + "\"effective_time_frame\":{\"date_time\":\"2026-11-25T07:15:00-03:30\"}}"));
        assertThat(r.getMetric()).isEqualTo("heart_rate");
        assertThat(r.getStart()).isEqualTo(r.getEnd()).isEqualTo("2026-11-25T07:15:00-03:30");
    }

    @Test
    void physicalActivityMapsItsDistanceWithItsUnit() throws Exception {
        RawReading r = reading(
                point(
                        "physical-activity",
                        "{\"activity_name\":\"walking\",\"distance\":{\"value\":2.5,\"unit\":\"km\"},"
                                + "\"effective_time_frame\":{\"time_interval\":{\"start_date_time\":\"2026-11-25T09:00:00Z\",\"end_date_time\":\"2026-11-25T09:40:00Z\"}}}"));
        assertThat(r.getMetric()).isEqualTo("distance");
        assertThat(r.getValue()).isEqualTo(2.5);
        assertThat(r.getUnit()).isEqualTo("km");
    }

    @Test
    void rejectionsSayWhy() throws Exception {
        assertThat(map(point("blood-glucose", "{}")))
                .isEqualTo(
                        new OpenMHealthMapper.Mapped.Rejected(
                                RejectReason.UNKNOWN_METRIC,
                                "Open mHealth schema 'blood-glucose' is not supported; supported: [calories-burned, heart-rate, minutes-moderate-activity, physical-activity, step-count]"));
        assertThat(((OpenMHealthMapper.Mapped.Rejected) map(point(
                                "physical-activity",
                                "{\"activity_name\":\"yoga\","
                                        + "\"effective_time_frame\":{\"date_time\":\"2026-11-25T09:00:00Z\"}}")))
                        .detail())
                .contains("distance");
        assertThat(((OpenMHealthMapper.Mapped.Rejected) map(point("step-count", "{\"step_count\":5}"))).reason())
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(((OpenMHealthMapper.Mapped.Rejected)
                                map(
                                        point(
                                                "step-count",
                                                "{\"step_count\":5,\"effective_time_frame\":"
                                                        + "{\"time_interval\":{\"start_date_time\":\"2026-11-25T09:00:00Z\",\"duration\":{\"value\":5,\"unit\":\"fortnights\"}}}}")))
                        .detail())
                .contains("duration");
        assertThat(((OpenMHealthMapper.Mapped.Rejected) map("{\"body\":{}}")).detail())
                .contains("schema_id");
        assertThat(((OpenMHealthMapper.Mapped.Rejected) map("[1]")).reason()).isEqualTo(RejectReason.MALFORMED);
    }
}
