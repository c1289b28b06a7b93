package io.engage.streams.activity;

import io.engage.avro.Metric;
import io.engage.streams.state.MetricCode;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * One participant's per-reading and per-hour state of one UTC clock hour (docs/rules.md, "Stored state"): the
 * readings whose interval starts in the hour (their identity, value, zone and receipt, for corrections and repeats)
 * and each device's value of every local clock hour that starts in it (for the maximum over devices). One record per
 * participant and hour replaces a record per reading, a record per metric-hour and their expiry entries; a device
 * sync (one device's readings of one hour) touches one bucket.
 *
 * <p>A UTC hour is zone-independent, so a correction finds the reading it replaces even when the participant's zone
 * changed in between; a local hour of a :30 or :45 zone lives in the bucket its first instant falls in.
 *
 * @param epochHour hours since the epoch (UTC) of the bucket's start
 */
public record HourBucket(long epochHour, List<ReadingState> readings, SortedMap<Slot, DeviceHours> hours) {
    static final long HOUR_MILLIS = 3_600_000L;

    /** A local hour's values of one metric. */
    public record Slot(LocalHour hour, Metric metric) implements Comparable<Slot> {
        public Slot {
            Objects.requireNonNull(hour, "hour");
            Objects.requireNonNull(metric, "metric");
        }

        @Override
        public int compareTo(Slot o) {
            int c = hour.compareTo(o.hour);
            return c != 0 ? c : Integer.compare(MetricCode.of(metric), MetricCode.of(o.metric));
        }
    }

    public HourBucket {
        List<ReadingState> sorted = new ArrayList<>(readings);
        sorted.sort(READING_ORDER);
        readings = Collections.unmodifiableList(sorted);
        hours = Collections.unmodifiableSortedMap(new TreeMap<>(hours));
    }

    /** An empty bucket of {@code epochHour}. */
    public static HourBucket empty(long epochHour) {
        return new HourBucket(epochHour, List.of(), new TreeMap<>());
    }

    /** The UTC hour an instant falls in. */
    public static long hourOf(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), HOUR_MILLIS);
    }

    /** The UTC hour a local hour's first instant falls in: the bucket that holds the local hour's values. */
    public static long hourOf(LocalHour hour) {
        return hourOf(hour.label().toInstant(hour.offset()));
    }

    /** The UTC date (days since the epoch) a bucket's hour falls on: buckets expire a UTC date at a time. */
    public static long epochDayOf(long epochHour) {
        return Math.floorDiv(epochHour, 24);
    }

    /**
     * When the buckets of UTC date {@code epochDay} may go: the date's end plus {@code retention} (docs/rules.md,
     * "Bounded state"). Their readings start on the date and end at most 25 hours after it; the retention's margin
     * covers that.
     */
    public static Instant expiryOfDay(long epochDay, Duration retention) {
        return Instant.ofEpochMilli((epochDay + 1) * 24 * HOUR_MILLIS).plus(retention);
    }

    public Instant start() {
        return Instant.ofEpochMilli(epochHour * HOUR_MILLIS);
    }

    public boolean isEmpty() {
        return readings.isEmpty() && hours.isEmpty();
    }

    /** The counted reading of identity {@code (deviceId, metric, start, end)}, or null. */
    public ReadingState reading(String deviceId, Metric metric, Instant start, Instant end) {
        for (ReadingState r : readings) {
            if (r.metric() == metric
                    && r.start().equals(start)
                    && r.end().equals(end)
                    && r.deviceId().equals(deviceId)) {
                return r;
            }
        }
        return null;
    }

    /** With {@code r} as the counted version of its identity (replacing an earlier one). */
    public HourBucket withReading(ReadingState r) {
        if (hourOf(r.start()) != epochHour) {
            throw new IllegalArgumentException(
                    "reading starting at " + r.start() + " does not belong to hour " + start());
        }
        List<ReadingState> next = new ArrayList<>(readings.size() + 1);
        for (ReadingState x : readings) {
            if (!(x.metric() == r.metric()
                    && x.start().equals(r.start())
                    && x.end().equals(r.end())
                    && x.deviceId().equals(r.deviceId()))) {
                next.add(x);
            }
        }
        next.add(r);
        return new HourBucket(epochHour, next, hours);
    }

    /** The device values of a local hour and metric (empty when none). */
    public DeviceHours hour(LocalHour hour, Metric metric) {
        DeviceHours h = hours.get(new Slot(hour, metric));
        return h == null ? DeviceHours.EMPTY : h;
    }

    /** With the device values of a local hour and metric replaced ({@code values} empty: removed). */
    public HourBucket withHour(LocalHour hour, Metric metric, DeviceHours values) {
        if (hourOf(hour) != epochHour) {
            throw new IllegalArgumentException("local hour " + hour + " does not belong to hour " + start());
        }
        TreeMap<Slot, DeviceHours> next = new TreeMap<>(hours);
        if (values.isEmpty()) {
            next.remove(new Slot(hour, metric));
        } else {
            next.put(new Slot(hour, metric), values);
        }
        return new HourBucket(epochHour, readings, next);
    }

    /** Store serde (layout 1; see docs/rules.md, "Stored state", and the test that pins its bytes). */
    public static Serde<HourBucket> serde() {
        return StateCodec.serde("hour bucket", 1, HourBucket::write, HourBucket::read);
    }

    /*
     * Layout 1: epochHour; the device table and the zone table (each a count, then the strings); the readings (device
     * index, metric code, start as milliseconds into the hour, length in milliseconds, value, zone index, receipt as
     * milliseconds after the end, source offset + 1); the slots (local hour start as milliseconds into the hour, its
     * UTC offset in seconds, metric code, then each device index and value in millionths). Integers are
     * variable-length, so a typical reading takes about 12 bytes and a slot about 6.
     */
    private static void write(HourBucket b, StateCodec.Out out) throws IOException {
        Map<String, Integer> devices = new LinkedHashMap<>();
        Map<String, Integer> zones = new LinkedHashMap<>();
        List<ReadingState> readings = b.readings;
        for (ReadingState r : readings) {
            devices.putIfAbsent(r.deviceId(), devices.size());
            zones.putIfAbsent(r.zoneId(), zones.size());
        }
        for (DeviceHours h : b.hours.values()) {
            for (String d : h.byDevice().keySet()) {
                devices.putIfAbsent(d, devices.size());
            }
        }
        long base = b.epochHour * HOUR_MILLIS;
        out.varLong(b.epochHour);
        out.varLong(devices.size());
        for (String d : devices.keySet()) {
            out.text(d);
        }
        out.varLong(zones.size());
        for (String z : zones.keySet()) {
            out.text(z);
        }
        out.varLong(readings.size());
        for (ReadingState r : readings) {
            long start = r.start().toEpochMilli();
            long end = r.end().toEpochMilli();
            out.varLong(devices.get(r.deviceId()))
                    .code(MetricCode.of(r.metric()))
                    .varLong(start - base)
                    .varLong(end - start)
                    .exactDouble(r.value())
                    .varLong(zones.get(r.zoneId()))
                    .zigZag(r.receivedAt().toEpochMilli() - end)
                    .zigZag(r.sourceOffset() + 1);
        }
        out.varLong(b.hours.size());
        for (Map.Entry<Slot, DeviceHours> e : b.hours.entrySet()) {
            LocalHour h = e.getKey().hour();
            out.varLong(h.label().toInstant(h.offset()).toEpochMilli() - base)
                    .zigZag(h.offset().getTotalSeconds())
                    .code(MetricCode.of(e.getKey().metric()))
                    .varLong(e.getValue().byDevice().size());
            for (Map.Entry<String, Long> v : e.getValue().byDevice().entrySet()) {
                out.varLong(devices.get(v.getKey())).zigZag(v.getValue());
            }
        }
    }

    private static HourBucket read(StateCodec.In in) throws IOException {
        long epochHour = in.varLong();
        long base = epochHour * HOUR_MILLIS;
        String[] devices = new String[(int) in.varLong()];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = in.text();
        }
        String[] zones = new String[(int) in.varLong()];
        for (int i = 0; i < zones.length; i++) {
            zones[i] = in.text();
        }
        int n = (int) in.varLong();
        List<ReadingState> readings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String device = devices[(int) in.varLong()];
            Metric metric = MetricCode.metric(in.code());
            long start = base + in.varLong();
            long end = start + in.varLong();
            double value = in.exactDouble();
            String zone = zones[(int) in.varLong()];
            long received = end + in.zigZag();
            long offset = in.zigZag() - 1;
            readings.add(new ReadingState(
                    device,
                    metric,
                    Instant.ofEpochMilli(start),
                    Instant.ofEpochMilli(end),
                    value,
                    zone,
                    Instant.ofEpochMilli(received),
                    offset));
        }
        int slots = (int) in.varLong();
        TreeMap<Slot, DeviceHours> hours = new TreeMap<>();
        for (int i = 0; i < slots; i++) {
            Instant start = Instant.ofEpochMilli(base + in.varLong());
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((int) in.zigZag());
            Metric metric = MetricCode.metric(in.code());
            int m = (int) in.varLong();
            TreeMap<String, Long> values = new TreeMap<>();
            for (int j = 0; j < m; j++) {
                values.put(devices[(int) in.varLong()], in.zigZag());
            }
            hours.put(
                    new Slot(new LocalHour(LocalDateTime.ofInstant(start, offset), offset), metric),
                    new DeviceHours(values));
        }
        return new HourBucket(epochHour, readings, hours);
    }

    private static final Comparator<ReadingState> READING_ORDER = Comparator.comparing(ReadingState::deviceId)
            .thenComparingInt(r -> MetricCode.of(r.metric()))
            .thenComparing(ReadingState::start)
            .thenComparing(ReadingState::end);
}
