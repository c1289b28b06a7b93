package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/rules.md: a daylight-saving day has 23 or 25 local hours, and the total is the sum of exactly those. */
class DaylightSavingDayTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-ams", "Europe/Amsterdam");

    @AfterEach
    void close() {
        d.close();
    }

    private long hourKeysOf(String date) {
        return d.hourKeys().stream().filter(k -> k.contains(date + "T")).count();
    }

    @Test
    void aTwentyThreeHourDay() {
        // 2026-03-29: clocks go from 02:00 to 03:00; 00:00+01:00 to 24:00 (+02:00) is 23 hours
        d.steps("p-ams", "tracker-1", 2300, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00")
                .receivedAt("2026-03-30T08:00:00+02:00")
                .send();
        assertThat(d.days("p-ams")).containsOnlyKeys(LocalDate.parse("2026-03-29"));
        assertThat(d.day("p-ams", "2026-03-29").getSteps()).isEqualTo(2300);
        assertThat(hourKeysOf("2026-03-29")).isEqualTo(23);
    }

    @Test
    void aTwentyFiveHourDayKeepsTheTwoTwoOClocksApart() {
        // 2026-10-25: clocks go back from 03:00 to 02:00; the day is 25 hours
        d.steps("p-ams", "tracker-1", 2500, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")
                .receivedAt("2026-10-26T08:00:00+01:00")
                .send();
        assertThat(d.day("p-ams", "2026-10-25").getSteps()).isEqualTo(2500);
        assertThat(hourKeysOf("2026-10-25")).isEqualTo(25);

        // the tracker in the first 02:00 hour, the glasses in the second: different hours, so they add up
        try (EngagementDriver two = new EngagementDriver().profile("p-ams", "Europe/Amsterdam")) {
            two.reading(
                            "p-ams",
                            "tracker-1",
                            Metric.steps,
                            500,
                            "2026-10-25T02:00:00+02:00",
                            "2026-10-25T03:00:00+02:00")
                    .receivedAt("2026-10-26T08:00:00+01:00")
                    .send();
            two.reading(
                            "p-ams",
                            "glasses-1",
                            Metric.steps,
                            400,
                            "2026-10-25T02:00:00+01:00",
                            "2026-10-25T03:00:00+01:00")
                    .receivedAt("2026-10-26T08:00:00+01:00")
                    .send();
            assertThat(two.day("p-ams", "2026-10-25").getSteps()).isEqualTo(900);
        }
    }
}
