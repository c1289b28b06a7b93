package io.engage.streams.coaching;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.NudgeType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/coaching.md, "When": the timed slots of a local date, in the participant's zone. */
class NudgeScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");

    @Test
    void eachTypeIsDueAtItsLocalTimeInTheParticipantsZone() {
        List<NudgeSlot> slots = NudgeSchedule.DEFAULT.slotsOf(LocalDate.parse("2026-11-20"), KATHMANDU);
        assertThat(slots)
                .extracting(s -> s.type() + "@" + s.slot())
                .containsExactly(
                        "INACTIVITY@09:50",
                        "SCHEDULED_PROMPT@10:00",
                        "INACTIVITY@10:50",
                        "INACTIVITY@11:50",
                        "INACTIVITY@12:50",
                        "INACTIVITY@13:50",
                        "INACTIVITY@14:50",
                        "SCHEDULED_PROMPT@15:00",
                        "INACTIVITY@15:50",
                        "INACTIVITY@16:50",
                        "INACTIVITY@17:50",
                        "BEHIND_PACE@18:00",
                        "STREAK_AT_RISK@20:00");
        // UTC+05:45: 10:00 local is 04:15 UTC
        assertThat(slots.get(1).dueAt()).isEqualTo(Instant.parse("2026-11-20T04:15:00Z"));
        assertThat(NudgeSchedule.DEFAULT
                        .slotsOf(LocalDate.parse("2026-11-20"), BERLIN)
                        .get(1)
                        .dueAt())
                .isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
    }

    @Test
    void onADaylightSavingDayTheLocalTimesHoldAndASkippedTimeMovesPastTheGap() {
        // Europe/Berlin springs forward at 02:00 on 2026-03-29: 10:00 is CEST (UTC+2), the day before CET
        NudgeSchedule s = new NudgeSchedule(
                List.of(LocalTime.of(2, 30), LocalTime.of(10, 0)), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
        List<NudgeSlot> change = s.slotsOf(LocalDate.parse("2026-03-29"), BERLIN);
        assertThat(change.get(0).slot()).isEqualTo("02:30");
        assertThat(change.get(0).dueAt()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST
        assertThat(change.get(1).dueAt()).isEqualTo(Instant.parse("2026-03-29T08:00:00Z"));
        assertThat(s.slotsOf(LocalDate.parse("2026-03-28"), BERLIN).get(1).dueAt())
                .isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        // falling back on 2026-10-25: 02:30 occurs twice, the first is due
        assertThat(s.slotsOf(LocalDate.parse("2026-10-25"), BERLIN).get(0).dueAt())
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    }

    @Test
    void nextIsTheFirstSlotStrictlyAfterAnInstantAcrossMidnight() {
        NudgeSchedule s = new NudgeSchedule(List.of(LocalTime.of(10, 0)), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
        NudgeSlot atTen = s.next(Instant.parse("2026-11-20T08:59:59Z"), BERLIN);
        assertThat(atTen.type()).isEqualTo(NudgeType.SCHEDULED_PROMPT);
        assertThat(atTen.dueAt()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
        assertThat(s.next(atTen.dueAt(), BERLIN).type()).isEqualTo(NudgeType.BEHIND_PACE);
        NudgeSlot afterStreak = s.next(Instant.parse("2026-11-20T19:00:00Z"), BERLIN);
        assertThat(afterStreak.date()).isEqualTo(LocalDate.parse("2026-11-21"));
        assertThat(afterStreak.slot()).isEqualTo("10:00");
    }

    @Test
    void activeHoursMayCrossMidnightAndEqualEndsMeanNone() {
        NudgeSchedule night = new NudgeSchedule(List.of(), LocalTime.of(22, 0), LocalTime.of(1, 0));
        assertThat(night.slotsOf(LocalDate.parse("2026-11-20"), BERLIN))
                .filteredOn(x -> x.type() == NudgeType.INACTIVITY)
                .extracting(NudgeSlot::slot)
                .containsExactly("00:50", "22:50", "23:50");
        NudgeSchedule none = new NudgeSchedule(List.of(), LocalTime.NOON, LocalTime.NOON);
        assertThat(none.slotsOf(LocalDate.parse("2026-11-20"), BERLIN))
                .extracting(NudgeSlot::type)
                .containsExactly(NudgeType.BEHIND_PACE, NudgeType.STREAK_AT_RISK);
    }
}
