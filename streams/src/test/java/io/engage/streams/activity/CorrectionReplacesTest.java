package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.testing.EngagementDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: a reading whose identity (deviceId, metric, start, end) was already counted replaces the earlier
 * value; the later one received wins (on the same receipt time, the later offset), whatever order they arrive in.
 */
class CorrectionReplacesTest {
    private static final String START = "2026-11-20T09:00:00+01:00";
    private static final String END = "2026-11-20T09:30:00+01:00";
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    private void send(double steps, String receivedAt) {
        d.steps("p-1", "tracker-1", steps, START, END).receivedAt(receivedAt).send();
    }

    private long steps() {
        return d.day("p-1", "2026-11-20").getSteps();
    }

    @Test
    void aLaterReceivedValueReplacesTheEarlierOne() {
        send(1000, "2026-11-20T10:00:00+01:00");
        send(1500, "2026-11-20T10:05:00+01:00");
        assertThat(steps()).isEqualTo(1500);
        send(900, "2026-11-20T10:10:00+01:00");
        assertThat(steps()).as("a correction may lower the value").isEqualTo(900);
    }

    @Test
    void anEarlierReceivedValueArrivingLateIsIgnored() {
        send(1500, "2026-11-20T10:05:00+01:00");
        int records = d.dailyRecords.size();
        send(1000, "2026-11-20T10:00:00+01:00"); // received earlier, processed later
        assertThat(steps()).isEqualTo(1500);
        assertThat(d.dailyRecords).as("nothing changed").hasSize(records);
    }

    @Test
    void onTheSameReceiptTimeTheLaterOffsetWins() {
        send(1000, "2026-11-20T10:00:00+01:00");
        send(1500, "2026-11-20T10:00:00+01:00");
        assertThat(steps()).isEqualTo(1500);
    }

    @Test
    void aRepeatOfAnOlderValueReceivedLastWinsInEitherOrder() {
        // A (1000) at 10:00, B (1500) at 10:05, A again at 10:10: the last received is A
        send(1000, "2026-11-20T10:00:00+01:00");
        send(1500, "2026-11-20T10:05:00+01:00");
        send(1000, "2026-11-20T10:10:00+01:00");
        assertThat(steps()).isEqualTo(1000);

        try (EngagementDriver other = new EngagementDriver().profile("p-1", "Europe/Berlin")) {
            other.steps("p-1", "tracker-1", 1000, START, END)
                    .receivedAt("2026-11-20T10:00:00+01:00")
                    .send();
            other.steps("p-1", "tracker-1", 1000, START, END)
                    .receivedAt("2026-11-20T10:10:00+01:00")
                    .send();
            other.steps("p-1", "tracker-1", 1500, START, END)
                    .receivedAt("2026-11-20T10:05:00+01:00")
                    .send();
            assertThat(other.day("p-1", "2026-11-20").getSteps()).isEqualTo(1000);
        }
    }

    @Test
    void aCorrectionIsTakenOutOfTheHourMaximum() {
        send(1000, "2026-11-20T10:00:00+01:00");
        d.steps("p-1", "glasses-1", 600, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .receivedAt("2026-11-20T10:01:00+01:00")
                .send();
        assertThat(steps()).isEqualTo(1000);
        send(400, "2026-11-20T10:02:00+01:00"); // the tracker's value corrected: the glasses are now the maximum
        assertThat(steps()).isEqualTo(600);
    }

    @Test
    void aCorrectionIsTakenOutWithTheZoneItWasCountedIn() {
        send(1000, "2026-11-20T10:00:00+01:00");
        // the profile moved to another zone before the correction came: the old value leaves the day it was in
        d.steps("p-1", "tracker-1", 1200, START, END)
                .zone("America/New_York")
                .receivedAt("2026-11-20T10:05:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(1200);
        assertThat(d.hourKeys()).hasSize(1).allMatch(k -> k.endsWith("2026-11-20T03-05:00"));
    }
}
