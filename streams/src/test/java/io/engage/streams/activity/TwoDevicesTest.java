package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.streams.testing.EngagementDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: two devices worn at once must not double count. Per participant, metric and local hour the maximum
 * over devices counts; the day's total is the sum of its hours.
 */
class TwoDevicesTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void trackerAndGlassesInTheSameHourCountTheMaximum() {
        d.steps("p-1", "tracker-1", 1000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.steps("p-1", "glasses-1", 700, "2026-11-20T09:10:00+01:00", "2026-11-20T09:50:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(1000);
        d.steps("p-1", "glasses-1", 500, "2026-11-20T09:50:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps())
                .as("glasses now 1,200 in that hour")
                .isEqualTo(1200);
    }

    @Test
    void trackerAndGlassesInDifferentHoursAddUp() {
        d.steps("p-1", "tracker-1", 1000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.steps("p-1", "glasses-1", 700, "2026-11-20T10:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(1700);
    }

    @Test
    void overlappingReadingsAreComparedHourByHour() {
        // tracker 09:00-11:00 2,000 -> 1,000 + 1,000; glasses 09:30-10:30 900 -> 450 + 450
        d.steps("p-1", "tracker-1", 2000, "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        d.steps("p-1", "glasses-1", 900, "2026-11-20T09:30:00+01:00", "2026-11-20T10:30:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(2000);
        // glasses 10:30-11:00 700: glasses' 10:00 hour is 1,150, above the tracker's 1,000
        d.steps("p-1", "glasses-1", 700, "2026-11-20T10:30:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(2150);
    }

    @Test
    void aDevicesReadingsWithinAnHourAddUpBeforeTheMaximum() {
        d.steps("p-1", "tracker-1", 600, "2026-11-20T09:00:00+01:00", "2026-11-20T09:30:00+01:00")
                .send();
        d.steps("p-1", "tracker-1", 500, "2026-11-20T09:30:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.steps("p-1", "glasses-1", 1000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(1100);
    }

    @Test
    void everyCumulativeMetricTakesTheMaximum() {
        d.reading("p-1", "tracker-1", Metric.distance, 800, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.reading("p-1", "glasses-1", Metric.distance, 750.25, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.reading("p-1", "tracker-1", Metric.calories, 50, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.reading("p-1", "glasses-1", Metric.calories, 62.5, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.reading(
                        "p-1",
                        "tracker-1",
                        Metric.active_minutes,
                        20,
                        "2026-11-20T09:00:00+01:00",
                        "2026-11-20T10:00:00+01:00")
                .send();
        d.reading(
                        "p-1",
                        "glasses-1",
                        Metric.active_minutes,
                        25,
                        "2026-11-20T10:00:00+01:00",
                        "2026-11-20T11:00:00+01:00")
                .send();
        var day = d.day("p-1", "2026-11-20");
        assertThat(day.getDistance()).isEqualTo(800.0);
        assertThat(day.getCalories()).isEqualTo(62.5);
        assertThat(day.getActiveMinutes()).as("different hours").isEqualTo(45.0);
    }
}
