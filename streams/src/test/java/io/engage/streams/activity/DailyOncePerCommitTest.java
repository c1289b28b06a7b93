package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.testing.EngagementDriver;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md, "Outputs": {@code activity.daily} gets one record per changed day and commit, with the day's latest
 * value and the receipt time of the reading that changed it last; a commit that changes nothing sends nothing. The test
 * driver commits after every record, so here each reading that changes a day gives one record; that readings of one
 * commit interval give one record together is shown against a real broker (ActivityThroughApisIntegrationTest).
 */
class DailyOncePerCommitTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void eachCommitSendsTheDaysItChangedWithTheirLatestValue() {
        d.steps("p-1", "trk-1", 1000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .receivedAt("2026-11-20T09:05:00+01:00")
                .send();
        d.steps("p-1", "trk-1", 2000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .receivedAt("2026-11-20T10:05:00+01:00")
                .send();
        d.steps("p-1", "trk-1", 500, "2026-11-21T09:00:00+01:00", "2026-11-21T10:00:00+01:00")
                .receivedAt("2026-11-21T10:05:00+01:00")
                .send();
        assertThat(d.dailyRecords).hasSize(3);
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(3000);
        assertThat(d.day("p-1", "2026-11-20").getUpdatedAt()).isEqualTo(Instant.parse("2026-11-20T09:05:00Z"));
        assertThat(d.day("p-1", "2026-11-21").getSteps()).isEqualTo(500);

        // a later reading changes one of the days again: one more record, for that day only
        d.steps("p-1", "gls-1", 2500, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .receivedAt("2026-11-20T10:06:00+01:00")
                .send();
        assertThat(d.dailyRecords).hasSize(4);
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(3500);

        // an exact repeat changes no day and sends nothing
        d.steps("p-1", "trk-1", 1000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .receivedAt("2026-11-20T11:00:00+01:00")
                .send();
        assertThat(d.dailyRecords).hasSize(4);
    }
}
