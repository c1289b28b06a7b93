package io.engage.streams.activity;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One participant's values of one cumulative metric in one local hour, per device (millionths). Two devices worn at
 * once must not double count (docs/rules.md): the hour's value is the maximum over devices, and the day's total is
 * the sum of its hours.
 */
public record DeviceHours(SortedMap<String, Long> byDevice) {
    public static final DeviceHours EMPTY = new DeviceHours(new TreeMap<>());

    public DeviceHours {
        byDevice = Collections.unmodifiableSortedMap(new TreeMap<>(byDevice));
    }

    /** The hour's value: the largest device value (0 with none). */
    public long max() {
        long m = 0;
        for (long v : byDevice.values()) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** With {@code delta} added to {@code deviceId}'s value; a device whose value drops to zero is forgotten. */
    public DeviceHours plus(String deviceId, long delta) {
        TreeMap<String, Long> m = new TreeMap<>(byDevice);
        long v = m.getOrDefault(deviceId, 0L) + delta;
        if (v == 0) {
            m.remove(deviceId);
        } else {
            m.put(deviceId, v);
        }
        return new DeviceHours(m);
    }

    public boolean isEmpty() {
        return byDevice.isEmpty();
    }
}
