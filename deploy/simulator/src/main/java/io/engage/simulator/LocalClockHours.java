package io.engage.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A participant's local clock hours over a range of local dates, as the intervals devices report: each interval
 * lies inside one local clock hour and ends at the next instant the local clock shows a full hour or jumps
 * (an offset transition). So hours are one hour long, except around daylight-saving changes: New York's
 * spring-forward day has no 02:00 hour, Lord Howe's has a 30-minute 02:00 hour, and fall-back days repeat
 * an hour (as two intervals).
 */
final class LocalClockHours implements Iterator<LocalClockHours.Hour> {

    /** One local clock hour (or part of one, around a transition) of a participant. */
    record Hour(long index, LocalDate date, int hourOfDay, Instant start, Instant end) {
        long seconds() {
            return end.getEpochSecond() - start.getEpochSecond();
        }

        double minutes() {
            return seconds() / 60.0;
        }
    }

    private final ZoneId zone;
    private final Instant end;
    private Instant next;
    private long index;

    /** The hours of local dates {@code [first, first + days)} in {@code zone}. */
    LocalClockHours(ZoneId zone, LocalDate first, int days) {
        this.zone = zone;
        this.next = first.atStartOfDay(zone).toInstant();
        this.end = first.plusDays(days).atStartOfDay(zone).toInstant();
    }

    @Override
    public boolean hasNext() {
        return next.isBefore(end);
    }

    /** The end of the hour {@link #next()} would return, or null when there is none. */
    Instant peekEnd() {
        return hasNext() ? min(boundaryAfter(next, zone), end) : null;
    }

    @Override
    public Hour next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Instant s = next;
        Instant e = min(boundaryAfter(s, zone), end);
        LocalDateTime local = LocalDateTime.ofInstant(s, zone);
        next = e;
        return new Hour(index++, local.toLocalDate(), local.getHour(), s, e);
    }

    /** The first instant after {@code t} at which the local clock shows a full hour or the offset changes. */
    static Instant boundaryAfter(Instant t, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(t);
        LocalDateTime nextHour =
                LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.HOURS).plusHours(1);
        // in a gap the next full hour does not exist and resolves later; in an overlap keep the current offset
        Instant a = ZonedDateTime.ofLocal(nextHour, zone, offset).toInstant();
        ZoneOffsetTransition transition = zone.getRules().nextTransition(t);
        return transition == null ? a : min(a, transition.getInstant());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
