package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HourSplitTest {

    private static Instant at(String rfc3339) {
        return OffsetDateTime.parse(rfc3339).toInstant();
    }

    private static Map<String, Double> byKey(Map<LocalHour, Double> m) {
        return m.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().key(), Map.Entry::getValue));
    }

    @Test
    void aReadingWithinOneHourStaysInThatHour() {
        Map<LocalHour, Double> s = HourSplit.split(
                at("2026-11-25T09:10:00+01:00"), at("2026-11-25T09:50:00+01:00"), 400, ZoneId.of("Europe/Amsterdam"));
        assertThat(byKey(s)).containsExactly(Map.entry("2026-11-25T09+01:00", 400.0));
    }

    @Test
    void aReadingAcrossHoursIsSplitInProportionToOverlap() {
        Map<LocalHour, Double> s = HourSplit.split(
                at("2026-11-25T09:30:00+01:00"), at("2026-11-25T11:00:00+01:00"), 900, ZoneId.of("Europe/Amsterdam"));
        assertThat(byKey(s))
                .containsOnly(Map.entry("2026-11-25T09+01:00", 300.0), Map.entry("2026-11-25T10+01:00", 600.0));
    }

    @Test
    void aReadingCrossingLocalMidnightIsSplitAcrossTwoDays() {
        Map<LocalHour, Double> s = HourSplit.split(
                at("2026-11-25T23:30:00-05:00"), at("2026-11-26T00:30:00-05:00"), 100, ZoneId.of("America/New_York"));
        assertThat(s.keySet())
                .extracting(LocalHour::date)
                .containsExactly(LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 26));
        assertThat(s.values()).allSatisfy(v -> assertThat(v).isCloseTo(50.0, within(1e-9)));
    }

    @Test
    void kathmanduHoursStartAtQuarterPastInUtc() {
        // 03:15Z-04:15Z is 09:00-10:00 in Asia/Kathmandu (+05:45): one local hour
        Map<LocalHour, Double> s = HourSplit.split(
                at("2026-11-25T03:15:00Z"), at("2026-11-25T04:15:00Z"), 1000, ZoneId.of("Asia/Kathmandu"));
        assertThat(byKey(s)).containsExactly(Map.entry("2026-11-25T09+05:45", 1000.0));
    }

    @Test
    void aSpringForwardDayHas23HoursAndNoTwoOClock() {
        ZoneId ams = ZoneId.of("Europe/Amsterdam");
        Instant dayStart = LocalDate.of(2026, 3, 29).atStartOfDay(ams).toInstant();
        Instant dayEnd = LocalDate.of(2026, 3, 30).atStartOfDay(ams).toInstant();
        Map<LocalHour, Double> s = HourSplit.split(dayStart, dayEnd, 2300, ams);
        assertThat(s).hasSize(23);
        assertThat(s.keySet()).extracting(LocalHour::hourOfDay).doesNotContain(2);
        assertThat(s.values()).allSatisfy(v -> assertThat(v).isCloseTo(100.0, within(1e-9)));
    }

    @Test
    void aFallBackDayHas25HoursWithTwoOneOClocksToldApartByOffset() {
        ZoneId ny = ZoneId.of("America/New_York");
        Instant dayStart = LocalDate.of(2026, 11, 1).atStartOfDay(ny).toInstant();
        Instant dayEnd = LocalDate.of(2026, 11, 2).atStartOfDay(ny).toInstant();
        Map<LocalHour, Double> s = HourSplit.split(dayStart, dayEnd, 2500, ny);
        assertThat(s).hasSize(25);
        assertThat(byKey(s)).containsKeys("2026-11-01T01-04:00", "2026-11-01T01-05:00");
        assertThat(s.keySet()).allMatch(h -> h.date().equals(LocalDate.of(2026, 11, 1)));
    }

    @Test
    void lordHoweThirtyMinuteDaylightSavingGivesAHalfHour() {
        // Australia/Lord_Howe moves from +10:30 to +11:00 at 02:00 local on 2026-10-04: 02:00-02:30 does not exist
        ZoneId lh = ZoneId.of("Australia/Lord_Howe");
        Instant from = at("2026-10-04T01:00:00+10:30");
        Instant to = at("2026-10-04T04:00:00+11:00");
        Map<LocalHour, Double> s = HourSplit.split(from, to, 250, lh);
        // 01:00-02:00 (60 min), 02:30-03:00 (30 min), 03:00-04:00 (60 min): 150 minutes in all
        assertThat(byKey(s)).containsOnlyKeys("2026-10-04T01+10:30", "2026-10-04T02+11:00", "2026-10-04T03+11:00");
        assertThat(byKey(s).get("2026-10-04T02+11:00")).isCloseTo(50.0, within(1e-9));
        assertThat(byKey(s).get("2026-10-04T01+10:30")).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void aPointInTimePutsItsValueInItsHour() {
        Map<LocalHour, Double> s = HourSplit.split(
                at("2026-11-25T09:59:59+01:00"), at("2026-11-25T09:59:59+01:00"), 72, ZoneId.of("Europe/Amsterdam"));
        assertThat(byKey(s)).containsExactly(Map.entry("2026-11-25T09+01:00", 72.0));
    }

    @Test
    void keysRoundTrip() {
        LocalHour h = new LocalHour(LocalDate.of(2026, 11, 1).atTime(1, 0), java.time.ZoneOffset.of("-05:00"));
        assertThat(LocalHour.parse(h.key())).isEqualTo(h);
    }

    @Property(tries = 300)
    void sharesAlwaysAddUpToTheValue(
            @ForAll @IntRange(min = 0, max = 86_400) int lengthSeconds,
            @ForAll @IntRange(min = 0, max = 400 * 86_400) int startOffsetSeconds,
            @ForAll @IntRange(min = 0, max = 7) int zoneIndex) {
        String[] zones = {
            "Asia/Kathmandu",
            "Australia/Lord_Howe",
            "America/St_Johns",
            "Pacific/Chatham",
            "Europe/Amsterdam",
            "America/New_York",
            "UTC",
            "Asia/Kolkata"
        };
        Instant start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(startOffsetSeconds);
        Map<LocalHour, Double> s =
                HourSplit.split(start, start.plusSeconds(lengthSeconds), 1234.5, ZoneId.of(zones[zoneIndex]));
        assertThat(s.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1234.5, within(1e-6));
        assertThat(s.size()).isLessThanOrEqualTo(27);
    }
}
