package io.engage.streams.activity;

import java.time.ZoneId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ZoneId#of} of the zone ids engage meets, parsed once: a reading's zone is looked up several times per
 * reading (the local day, each hour share), and {@code ZoneId.of} checks the id against a pattern and looks the rules
 * up each time (docs/benchmarks.md, "Decoded state on the heap"). Only ids that parse are kept, at most {@link #MAX}.
 */
public final class Zones {
    /** More distinct ids than this are parsed each time instead of kept (there are about 600 IANA zones). */
    static final int MAX = 4_096;

    private static final ConcurrentHashMap<String, ZoneId> PARSED = new ConcurrentHashMap<>();

    private Zones() {}

    /** {@code ZoneId.of(id)}: the same zone, or the same {@link java.time.DateTimeException} for an invalid id. */
    public static ZoneId of(String id) {
        ZoneId zone = PARSED.get(id);
        if (zone == null) {
            zone = ZoneId.of(id);
            if (PARSED.size() < MAX) {
                PARSED.putIfAbsent(id, zone);
            }
        }
        return zone;
    }
}
