package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: hours are local clock hours, so a +05:45 zone (Asia/Kathmandu) and a zone with 30-minute daylight
 * saving (Australia/Lord_Howe) come out right by construction.
 */
class OddOffsetZonesTest {
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void kathmanduDaysStartAtQuarterPastSixteenUtc() {
        d.profile("p-ktm", "Asia/Kathmandu");
        // 18:00Z-18:30Z is 23:45-00:15 in Kathmandu (+05:45): 15 minutes on each local date
        d.steps("p-ktm", "tracker-1", 300, "2026-11-19T18:00:00Z", "2026-11-19T18:30:00Z")
                .send();
        assertThat(d.day("p-ktm", "2026-11-19").getSteps()).isEqualTo(150);
        assertThat(d.day("p-ktm", "2026-11-20").getSteps()).isEqualTo(150);
        // 03:15Z-04:15Z is exactly the local hour 09:00-10:00: one hour bucket
        d.steps("p-ktm", "tracker-1", 1000, "2026-11-20T03:15:00Z", "2026-11-20T04:15:00Z")
                .send();
        assertThat(d.day("p-ktm", "2026-11-20").getSteps()).isEqualTo(1150);
        assertThat(d.hourKeys())
                .anyMatch(k -> k.endsWith("2026-11-20T09+05:45"))
                .anyMatch(k -> k.endsWith("2026-11-19T23+05:45"))
                .anyMatch(k -> k.endsWith("2026-11-20T00+05:45"))
                .hasSize(3);
    }

    @Test
    void lordHoweSpringsForwardThirtyMinutes() {
        d.profile("p-lh", "Australia/Lord_Howe");
        // 2026-10-04 02:00 (+10:30) becomes 02:30 (+11:00): the day has 23.5 hours and its 02:00 hour 30 minutes
        String received = "2026-10-04T12:00:00+11:00";
        d.steps("p-lh", "tracker-1", 250, "2026-10-04T01:00:00+10:30", "2026-10-04T04:00:00+11:00")
                .receivedAt(received)
                .send();
        // the glasses saw 80 steps in the half hour 02:30-03:00; the tracker's share of it is 50 (a third of 150
        // minutes)
        d.steps("p-lh", "glasses-1", 80, "2026-10-04T02:30:00+11:00", "2026-10-04T03:00:00+11:00")
                .receivedAt(received)
                .send();
        assertThat(d.day("p-lh", "2026-10-04").getSteps()).isEqualTo(100 + 80 + 100);
        assertThat(d.days("p-lh")).containsOnlyKeys(LocalDate.parse("2026-10-04"));
    }

    @Test
    void lordHoweMidnightAtPlusEleven() {
        d.profile("p-lh", "Australia/Lord_Howe");
        // 12:30Z-13:30Z is 23:30-00:30 at +11:00 (summer time)
        d.steps("p-lh", "tracker-1", 400, "2026-11-19T12:30:00Z", "2026-11-19T13:30:00Z")
                .send();
        assertThat(d.day("p-lh", "2026-11-19").getSteps()).isEqualTo(200);
        assertThat(d.day("p-lh", "2026-11-20").getSteps()).isEqualTo(200);
    }
}
