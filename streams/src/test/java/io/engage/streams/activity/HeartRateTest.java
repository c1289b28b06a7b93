package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.HeartRateSummary;
import io.engage.avro.Metric;
import io.engage.streams.testing.EngagementDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: heart rate is not summed; a day keeps min, max and mean of its readings, and a correction takes the
 * old value out (min and max are recomputed, not just widened).
 */
class HeartRateTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    private void bpm(String device, double value, String at, String receivedAt) {
        d.reading("p-1", device, Metric.heart_rate, value, at, at)
                .receivedAt(receivedAt)
                .send();
    }

    private HeartRateSummary hr(String date) {
        return d.day("p-1", date).getHeartRate();
    }

    @Test
    void minMaxAndMeanWithACorrection() {
        bpm("tracker-1", 60, "2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00");
        bpm("tracker-1", 80, "2026-11-20T09:00:00+01:00", "2026-11-20T12:00:00+01:00");
        bpm("glasses-1", 100, "2026-11-20T09:00:00+01:00", "2026-11-20T12:00:00+01:00");
        assertThat(hr("2026-11-20")).isEqualTo(new HeartRateSummary(60.0, 100.0, 80.0, 3L));

        bpm("glasses-1", 70, "2026-11-20T09:00:00+01:00", "2026-11-20T12:01:00+01:00"); // corrects the 100
        assertThat(hr("2026-11-20")).isEqualTo(new HeartRateSummary(60.0, 80.0, 70.0, 3L));

        bpm("tracker-1", 90, "2026-11-20T08:00:00+01:00", "2026-11-20T12:02:00+01:00"); // corrects the 60
        assertThat(hr("2026-11-20")).isEqualTo(new HeartRateSummary(70.0, 90.0, 80.0, 3L));

        bpm("tracker-1", 90, "2026-11-20T08:00:00+01:00", "2026-11-20T12:03:00+01:00"); // an exact repeat
        assertThat(hr("2026-11-20").getCount()).isEqualTo(3L);
        assertThat(d.day("p-1", "2026-11-20").getSteps())
                .as("heart rate is not a total")
                .isZero();
    }

    @Test
    void twoReadingsOfTheSameValueAreTwoReadings() {
        bpm("tracker-1", 72, "2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00");
        bpm("glasses-1", 72, "2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00");
        bpm("glasses-1", 75, "2026-11-20T08:00:00+01:00", "2026-11-20T12:01:00+01:00");
        assertThat(hr("2026-11-20")).isEqualTo(new HeartRateSummary(72.0, 75.0, 73.5, 2L));
    }

    @Test
    void anIntervalReadingBelongsToTheDateOfItsStartAndAPointToItsInstant() {
        d.reading("p-1", "tracker-1", Metric.heart_rate, 64, "2026-11-19T23:50:00+01:00", "2026-11-20T00:10:00+01:00")
                .send();
        bpm("tracker-1", 58, "2026-11-20T00:00:00+01:00", "2026-11-20T12:00:00+01:00");
        assertThat(hr("2026-11-19")).isEqualTo(new HeartRateSummary(64.0, 64.0, 64.0, 1L));
        assertThat(hr("2026-11-20")).isEqualTo(new HeartRateSummary(58.0, 58.0, 58.0, 1L));
    }
}
