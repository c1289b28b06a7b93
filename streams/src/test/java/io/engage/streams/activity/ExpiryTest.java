package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.config.EngageConfig;
import io.engage.streams.EngagementStores;
import io.engage.streams.EngagementTopology;
import io.engage.streams.testing.EngagementDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * State must be bounded: per-reading and per-hour state (the hour buckets, heart rate included) expires a UTC date at
 * a time, once stream time passes the date's end plus the late horizon and a margin (25 hours plus the clock-skew
 * tolerance; a bucket's readings start on that date and end at most 25 hours after it); the days, streaks and points
 * stay.
 */
class ExpiryTest {
    private final EngagementDriver d =
            new EngagementDriver(Map.of(EngageConfig.LATE_HORIZON, "P1D")).profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void retentionIsTheHorizonPlusTheMargin() {
        assertThat(EngagementTopology.retention(d.config))
                .isEqualTo(Duration.parse("P1D").plusHours(25).plusMinutes(5));
    }

    @Test
    void thePunctuatorRemovesOldPerReadingAndPerHourState() {
        d.steps("p-1", "tracker-1", 8000, "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        d.reading("p-1", "tracker-1", Metric.heart_rate, 70, "2026-11-20T11:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        assertThat(d.readingKeys()).hasSize(2);
        assertThat(d.hourKeys()).hasSize(2);
        assertThat(d.keys(EngagementStores.BUCKETS))
                .as("UTC hours 08, 09 and 10")
                .hasSize(3);
        assertThat(d.keys(EngagementStores.EXPIRY))
                .filteredOn(k -> k.contains("\u0000buckets\u0000"))
                .as("one bucket entry for the UTC date")
                .hasSize(1);

        // the UTC date 2026-11-20 expires at its end plus the retention: 2026-11-23T02:05Z
        Instant expires = Instant.parse("2026-11-21T00:00:00Z").plus(EngagementTopology.retention(d.config));
        sendLaterReading(expires.minus(Duration.ofMinutes(10)));
        assertThat(d.readingKeys()).hasSize(3).anyMatch(k -> k.contains("tracker-1"));
        assertThat(d.hourKeys()).anyMatch(k -> k.endsWith("2026-11-20T09+01:00"));

        // now past it: the old readings, their hours and the heart rate go
        sendLaterReading(expires.plus(Duration.ofMinutes(20)));
        assertThat(d.readingKeys()).hasSize(2).noneMatch(k -> k.contains("tracker-1"));
        assertThat(d.hourKeys()).hasSize(2).noneMatch(k -> k.contains("2026-11-20T"));

        // what is small and kept: the day, its goal and the points
        assertThat(d.keys(EngagementStores.DAYS)).contains("p-1\u00002026-11-20");
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(8000);
        assertThat(d.day("p-1", "2026-11-20").getHeartRate().getMean()).isEqualTo(70);
        assertThat(d.keys(EngagementStores.STREAKS)).containsExactly("p-1");
        assertThat(d.keys(EngagementStores.POINTS)).containsExactly("p-1");
        // the index holds only what is still there: one UTC date per remaining bucket day
        assertThat(d.keys(EngagementStores.EXPIRY))
                .filteredOn(k -> k.contains("\u0000buckets\u0000"))
                .hasSize(1);
    }

    private void sendLaterReading(Instant at) {
        d.steps(
                        "p-1",
                        "glasses-" + at.getEpochSecond(),
                        10,
                        at.minusSeconds(600).toString(),
                        at.minusSeconds(300).toString())
                .receivedAt(at)
                .send();
    }
}
