package io.engage.streams.coaching;

import io.engage.avro.NudgeType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * When a participant's timed nudges are due (docs/coaching.md, "When"): the programme's prompt times, 18:00 (behind
 * pace), :50 of each hour that starts in the programme's active hours (inactivity) and 20:00 (streak at risk), each in
 * the participant's zone on each local date. A local time that a daylight-saving change skips is due at the same
 * distance after the change (02:30 on a spring-forward day is 03:30); one that occurs twice is due at the first.
 *
 * @param promptTimes local times of the scheduled prompts
 * @param activeStart first local hour of the active hours (inclusive)
 * @param activeEnd   end of the active hours (exclusive): the hours starting in [start, end) get an inactivity check;
 *                    an end before the start crosses midnight, equal means none
 */
public record NudgeSchedule(List<LocalTime> promptTimes, LocalTime activeStart, LocalTime activeEnd) {
    public static final LocalTime BEHIND_PACE_AT = LocalTime.of(18, 0);
    public static final LocalTime STREAK_AT_RISK_AT = LocalTime.of(20, 0);
    /** Minute of the hour of the inactivity check. */
    public static final int INACTIVITY_MINUTE = 50;

    /** The schema's defaults: prompts at 10:00 and 15:00, active hours 09:00-18:00. */
    public static final NudgeSchedule DEFAULT = new NudgeSchedule(
            List.of(LocalTime.of(10, 0), LocalTime.of(15, 0)), LocalTime.of(9, 0), LocalTime.of(18, 0));

    public NudgeSchedule {
        promptTimes = List.copyOf(new TreeSet<>(promptTimes));
        Objects.requireNonNull(activeStart, "activeStart");
        Objects.requireNonNull(activeEnd, "activeEnd");
    }

    /** Every timed slot of {@code date} in {@code zone}, in due order. */
    public List<NudgeSlot> slotsOf(LocalDate date, ZoneId zone) {
        List<NudgeSlot> slots = new ArrayList<>();
        for (LocalTime t : promptTimes) {
            slots.add(slot(NudgeType.SCHEDULED_PROMPT, date, t, zone));
        }
        slots.add(slot(NudgeType.BEHIND_PACE, date, BEHIND_PACE_AT, zone));
        for (int h = 0; h < 24; h++) {
            if (activeHour(h)) {
                slots.add(slot(NudgeType.INACTIVITY, date, LocalTime.of(h, INACTIVITY_MINUTE), zone));
            }
        }
        slots.add(slot(NudgeType.STREAK_AT_RISK, date, STREAK_AT_RISK_AT, zone));
        slots.sort(null);
        return slots;
    }

    /** The first timed slot due strictly after {@code after}, in {@code zone}. */
    public NudgeSlot next(Instant after, ZoneId zone) {
        LocalDate date = LocalDate.ofInstant(after, zone).minusDays(1);
        for (int i = 0; i < 4; i++, date = date.plusDays(1)) {
            for (NudgeSlot s : slotsOf(date, zone)) {
                if (s.dueAt().isAfter(after)) {
                    return s;
                }
            }
        }
        throw new IllegalStateException("no nudge slot within three days after " + after); // never: 18:00 is daily
    }

    /** Whether {@code slot} is one of this schedule's slots in {@code zone} (it may predate a change). */
    public boolean has(NudgeSlot slot, ZoneId zone) {
        return slotsOf(slot.date(), zone).contains(slot);
    }

    /** Whether the hour starting at {@code hour}:00 lies in the active hours. */
    boolean activeHour(int hour) {
        LocalTime t = LocalTime.of(hour, 0);
        if (activeStart.equals(activeEnd)) {
            return false;
        }
        if (activeStart.isBefore(activeEnd)) {
            return !t.isBefore(activeStart) && t.isBefore(activeEnd);
        }
        return !t.isBefore(activeStart) || t.isBefore(activeEnd);
    }

    /** The slot label is the local time as {@code HH:mm}. */
    private static NudgeSlot slot(NudgeType type, LocalDate date, LocalTime time, ZoneId zone) {
        Instant due = ZonedDateTime.of(date, time, zone).toInstant(); // gap: shifted forward; overlap: earlier offset
        return new NudgeSlot(type, date, label(time), due);
    }

    /** {@code HH:mm} (built by hand: the slots of a date are computed for every due nudge). */
    public static String label(LocalTime time) {
        int h = time.getHour();
        int m = time.getMinute();
        return new String(new char[] {
            (char) ('0' + h / 10), (char) ('0' + h % 10), ':', (char) ('0' + m / 10), (char) ('0' + m % 10)
        });
    }
}
