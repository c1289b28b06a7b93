package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/rules.md: a reading crossing the participant's local midnight is split across the two local days. */
class LocalMidnightTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-ny", "America/New_York");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void aReadingCrossingLocalMidnightIsSplitAcrossTwoDays() {
        // 23:30-00:30 New York time (04:30Z-05:30Z): half on each local date, though both halves are the same UTC date
        d.steps("p-ny", "tracker-1", 600, "2026-11-18T23:30:00-05:00", "2026-11-19T00:30:00-05:00")
                .send();
        assertThat(d.days("p-ny")).containsOnlyKeys(LocalDate.parse("2026-11-18"), LocalDate.parse("2026-11-19"));
        assertThat(d.day("p-ny", "2026-11-18").getSteps()).isEqualTo(300);
        assertThat(d.day("p-ny", "2026-11-19").getSteps()).isEqualTo(300);
        assertThat(d.day("p-ny", "2026-11-19").getZoneId()).isEqualTo("America/New_York");
    }

    @Test
    void theSameInstantsBelongToOtherDatesInAnotherZone() {
        d.profile("p-tokyo", "Asia/Tokyo");
        // the same 04:30Z-05:30Z hour is 13:30-14:30 on the 19th in Tokyo
        d.steps("p-tokyo", "tracker-2", 600, "2026-11-19T04:30:00Z", "2026-11-19T05:30:00Z")
                .send();
        assertThat(d.days("p-tokyo")).containsOnlyKeys(LocalDate.parse("2026-11-19"));
        assertThat(d.day("p-tokyo", "2026-11-19").getSteps()).isEqualTo(600);
    }
}
