package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.engage.avro.Metric;
import io.engage.config.EngageConfig;
import io.engage.streams.EngagementStores;
import io.engage.streams.EngagementTopology;
import io.engage.streams.testing.EngagementDriver;

/**
 * State must be bounded: per-reading, per-hour and heart-rate state expires once stream time passes its end plus the
 * late horizon and a margin (25 hours plus the clock-skew tolerance); the days, streaks and points stay.
 */
class ExpiryTest {
    private final EngagementDriver d = new EngagementDriver(Map.of(EngageConfig.LATE_HORIZON, "P1D"))
            .profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void retentionIsTheHorizonPlusTheMargin() {
        assertThat(EngagementTopology.retention(d.config)).isEqualTo(Duration.parse("P1D").plusHours(25).plusMinutes(5));
    }

    @Test
    void thePunctuatorRemovesOldPerReadingAndPerHourState() {
        d.steps("p-1", "tracker-1", 8000, "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00").send();
        d.reading("p-1", "tracker-1", Metric.heart_rate, 70, "2026-11-20T11:00:00+01:00", "2026-11-20T11:00:00+01:00").send();
        assertThat(d.keys(EngagementStores.READINGS)).hasSize(2);
        assertThat(d.keys(EngagementStores.HOURS)).hasSize(2);
        assertThat(d.keys(EngagementStores.HEART_RATE)).hasSize(1);
        assertThat(d.keys(EngagementStores.EXPIRY)).hasSize(5);

        // stream time moves on to 49 hours after the readings' end: not yet past end + 1 day + 25 h 5 min, so the
        // readings stay; the 09:00 hour (ended an hour earlier) is past its own end + retention and goes
        Instant end = Instant.parse("2026-11-20T10:00:00Z");
        sendLaterReading(end.plus(Duration.ofHours(49)));
        assertThat(d.keys(EngagementStores.READINGS)).hasSize(3);
        assertThat(d.keys(EngagementStores.HOURS)).hasSize(2)
                .anyMatch(k -> k.endsWith("2026-11-20T10+01:00")).noneMatch(k -> k.endsWith("2026-11-20T09+01:00"));

        // now past it: the old readings and their hours go (the heart-rate day keeps until the latest end of its date)
        sendLaterReading(end.plus(Duration.ofHours(52)));
        assertThat(d.keys(EngagementStores.READINGS)).hasSize(2).noneMatch(k -> k.contains("tracker-1"));
        assertThat(d.keys(EngagementStores.HOURS)).hasSize(2).noneMatch(k -> k.contains("2026-11-20T"));
        assertThat(d.keys(EngagementStores.HEART_RATE)).hasSize(1);

        sendLaterReading(Instant.parse("2026-11-22T00:00:00Z").plus(EngagementTopology.retention(d.config)));
        assertThat(d.keys(EngagementStores.HEART_RATE)).isEmpty();

        // what is small and kept: the day, its goal and the points
        assertThat(d.keys(EngagementStores.DAYS)).contains("p-1\u00002026-11-20");
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(8000);
        assertThat(d.keys(EngagementStores.STREAKS)).containsExactly("p-1");
        assertThat(d.keys(EngagementStores.POINTS)).containsExactly("p-1");
        // the index holds only what is still there
        assertThat(d.keys(EngagementStores.EXPIRY)).hasSize(d.keys(EngagementStores.READINGS).size()
                + d.keys(EngagementStores.HOURS).size() + d.keys(EngagementStores.HEART_RATE).size());
    }

    private void sendLaterReading(Instant at) {
        d.steps("p-1", "glasses-" + at.getEpochSecond(), 10, at.minusSeconds(600).toString(), at.minusSeconds(300).toString())
                .receivedAt(at).send();
    }
}
