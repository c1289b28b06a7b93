package io.engage.streams.activity;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a cumulative reading over the participant's local clock hours in proportion to overlap (docs/rules.md).
 * Hour boundaries are the zone's tops of hours and its offset transitions, so :30 and :45 zones, 23- and 25-hour
 * days and 30-minute daylight saving come out right by construction.
 */
public final class HourSplit {
    private HourSplit() {}

    /**
     * The share of {@code value} that falls in each local hour of {@code [start, end)} in {@code zone}. A zero-length
     * interval puts the whole value in the hour containing {@code start}.
     */
    public static Map<LocalHour, Double> split(Instant start, Instant end, double value, ZoneId zone) {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        ZoneRules rules = zone.getRules();
        if (end.equals(start)) {
            return Map.of(hourAt(start, rules), value);
        }
        double total = ChronoUnit.NANOS.between(start, end);
        Map<LocalHour, Double> out = new TreeMap<>();
        Instant t = start;
        while (t.isBefore(end)) {
            LocalHour hour = hourAt(t, rules);
            Instant nextTop = hour.label().plusHours(1).toInstant(hour.offset());
            ZoneOffsetTransition transition = rules.nextTransition(t);
            Instant u = nextTop;
            if (transition != null && transition.getInstant().isBefore(u)) {
                u = transition.getInstant();
            }
            if (end.isBefore(u)) {
                u = end;
            }
            if (!u.isAfter(t)) {
                throw new IllegalStateException("no progress splitting at " + t + " in " + zone); // cannot happen
            }
            out.merge(hour, value * (ChronoUnit.NANOS.between(t, u) / total), Double::sum);
            t = u;
        }
        return Collections.unmodifiableMap(out);
    }

    /** The local hour that contains {@code instant}. */
    public static LocalHour hourAt(Instant instant, ZoneRules rules) {
        ZoneOffset offset = rules.getOffset(instant);
        LocalDateTime local = LocalDateTime.ofInstant(instant, offset).truncatedTo(ChronoUnit.HOURS);
        return new LocalHour(local, offset);
    }
}
