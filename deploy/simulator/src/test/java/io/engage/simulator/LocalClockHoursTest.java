package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hours are local clock hours, so :30/:45 offsets and daylight-saving days come out right by construction. */
class LocalClockHoursTest {

    static List<LocalClockHours.Hour> day(String zone, String date) {
        List<LocalClockHours.Hour> hours = new ArrayList<>();
        new LocalClockHours(ZoneId.of(zone), LocalDate.parse(date), 1).forEachRemaining(hours::add);
        return hours;
    }

    @ParameterizedTest(name = "{0} on {1}: {2} minutes in {3} intervals")
    @CsvSource({
        "Asia/Kathmandu,      2026-11-20, 1440, 24",
        "Pacific/Chatham,     2026-11-20, 1440, 24",
        "America/New_York,    2026-03-08, 1380, 23", // spring forward: no 02:00 hour
        "America/New_York,    2026-11-01, 1500, 25", // fall back: the 01:00 hour twice
        "America/St_Johns,    2026-03-08, 1380, 23",
        "Europe/Amsterdam,    2026-10-25, 1500, 25",
        "Australia/Lord_Howe, 2026-10-04, 1410, 24", // 02:00 -> 02:30: a 30-minute 02:00 hour
        "Australia/Lord_Howe, 2026-04-05, 1470, 25", // 02:00 -> 01:30: the 01:00 hour is 1.5 hours, in two parts
        "Pacific/Chatham,     2026-09-27, 1380, 24", // 02:45 -> 03:45: a 45-minute 02:00 and a 15-minute 03:00 hour
        "Pacific/Chatham,     2026-04-05, 1500, 26", // 03:45 -> 02:45: 02:00 and 03:00 each partly twice
        "Australia/Adelaide,  2026-10-04, 1380, 23",
    })
    void aDayHasItsRealLengthCutIntoLocalClockHours(String zone, String date, long minutes, int intervals) {
        List<LocalClockHours.Hour> hours = day(zone, date);
        ZoneId z = ZoneId.of(zone);

        assertThat(hours).hasSize(intervals);
        assertThat(hours.stream().mapToLong(LocalClockHours.Hour::seconds).sum())
                .isEqualTo(minutes * 60);
        assertThat(hours.get(0).start())
                .isEqualTo(LocalDate.parse(date).atStartOfDay(z).toInstant());
        for (int i = 0; i < hours.size(); i++) {
            LocalClockHours.Hour h = hours.get(i);
            if (i > 0) {
                assertThat(h.start()).isEqualTo(hours.get(i - 1).end());
            }
            // each interval lies inside one local clock hour ...
            LocalDateTime first = LocalDateTime.ofInstant(h.start(), z);
            LocalDateTime lastSecond = LocalDateTime.ofInstant(h.end().minusSeconds(1), z);
            assertThat(lastSecond.getHour()).as("%s", h).isEqualTo(first.getHour());
            assertThat(h.hourOfDay()).isEqualTo(first.getHour());
            // ... and starts on a full hour, unless the clock jumped there
            assertThat(first.getMinute() == 0 || isTransition(z, h.start()))
                    .as("%s starts at %s", h, first)
                    .isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "Asia/Kathmandu, 2026-11-20T04:15:00Z",
        "Asia/Kolkata, 2026-11-20T04:30:00Z",
        "Pacific/Chatham, 2026-11-19T20:15:00Z",
        "America/St_Johns, 2026-11-20T13:30:00Z"
    })
    void hoursOfHalfAndQuarterHourZonesStartOffTheUtcHour(String zone, String tenOClockUtc) {
        List<LocalClockHours.Hour> hours = day(zone, "2026-11-20");

        assertThat(hours.get(10).start()).isEqualTo(Instant.parse(tenOClockUtc));
        assertThat(Duration.ofSeconds(hours.get(10).seconds())).isEqualTo(Duration.ofHours(1));
    }

    private static boolean isTransition(ZoneId zone, Instant t) {
        var tr = zone.getRules().previousTransition(t.plusSeconds(1));
        return tr != null && tr.getInstant().equals(t);
    }
}
