package io.engage.streams.activity;

import io.engage.avro.Metric;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The counted version of a reading identity {@code (deviceId, metric, start, end)}: its value, the zone it was split
 * with (a correction is taken out with the same zone) and when it was received, with the source offset to break a
 * tie (docs/rules.md: the later one received wins). Stored inside its {@link HourBucket}.
 */
public record ReadingState(
        String deviceId,
        Metric metric,
        Instant start,
        Instant end,
        double value,
        String zoneId,
        Instant receivedAt,
        long sourceOffset) {
    public ReadingState {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /**
     * Whether a reading can be counted at all: a finite, non-negative value, an end not before its start, and an
     * interval for a cumulative metric (heart rate may be a point). Validation upstream guarantees it; it is checked
     * again because a bad value would corrupt a day's totals for good.
     */
    public static boolean countable(Metric metric, Instant start, Instant end, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0 || end.isBefore(start)) {
            return false;
        }
        return metric == Metric.heart_rate || end.isAfter(start);
    }

    /** What a reading does to the counted version of its identity. */
    public enum Change {
        /** First time this identity is seen: count it. */
        NEW,
        /** Same value as counted: changes nothing (a later receipt is remembered for later comparisons). */
        REPEAT,
        /** A different value received before the counted one: ignored. */
        STALE,
        /** A different value received after the counted one: replaces it. */
        REPLACE
    }

    /** How {@code incoming} relates to {@code counted} (null when the identity is new). */
    public static Change classify(ReadingState counted, ReadingState incoming) {
        if (counted == null) {
            return Change.NEW;
        }
        if (Double.compare(counted.value, incoming.value) == 0) {
            return Change.REPEAT;
        }
        return incoming.receivedAfter(counted) ? Change.REPLACE : Change.STALE;
    }

    /** Whether this was received after {@code other}: later {@code receivedAt}, or the same and a later offset. */
    public boolean receivedAfter(ReadingState other) {
        int c = receivedAt.compareTo(other.receivedAt);
        return c != 0 ? c > 0 : sourceOffset > other.sourceOffset;
    }

    /** This counted version with the receipt of a repeat received later. */
    public ReadingState withReceiptOf(ReadingState repeat) {
        return new ReadingState(deviceId, metric, start, end, value, zoneId, repeat.receivedAt, repeat.sourceOffset);
    }

    public ZoneId zone() {
        return Zones.of(zoneId);
    }
}
