package io.engage.cli.bench;

import io.engage.avro.RawReading;
import io.engage.simulator.DeviceSync;
import io.engage.simulator.Population;
import io.engage.simulator.ReadingGenerator;
import io.engage.simulator.SimulatedReading;
import io.engage.simulator.SimulationSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The benchmark's readings, generated once by the simulator and serialised once to the exact {@code readings.raw}
 * records, so every measured system gets the same bytes.
 *
 * <p>The spec covers {@code days} local dates of throughput data followed by {@link #PACED_DAYS} more dates and today
 * (up to {@code now}). Readings received before the cut-off (midnight UTC after the throughput dates) are the
 * throughput input, capped at {@code maxReadings}; the readings received after it are fresh data for the paced
 * latency phase, drawn on demand from the same generator.
 */
public final class BenchInput {
    /** Whole dates of data after the throughput dates, for the paced phase (plus today, up to now). */
    public static final int PACED_DAYS = 2;

    private final SimulationSpec spec;
    private final Population population;
    private final String topic;
    private final Serializer<RawReading> serializer;
    private final Instant cutoff;
    private final Iterator<DeviceSync> syncs;
    private final List<BenchRecord> throughput;
    private final ArrayDeque<SimulatedReading> pending = new ArrayDeque<>();
    private final Map<String, Long> lastPacedTimestamp = new HashMap<>();
    private long expectedValid;

    private BenchInput(
            SimulationSpec spec,
            Population population,
            String topic,
            Serializer<RawReading> serializer,
            Instant cutoff,
            Instant now,
            long maxReadings) {
        this.spec = spec;
        this.population = population;
        this.topic = topic;
        this.serializer = serializer;
        this.cutoff = cutoff;
        this.syncs = new ReadingGenerator(spec, population).syncs(now);
        this.throughput = new ArrayList<>();
        while (throughput.size() < maxReadings && syncs.hasNext()) {
            DeviceSync sync = syncs.next();
            if (!sync.receivedAt().isBefore(cutoff)) {
                pending.addAll(sync.readings());
                break;
            }
            for (SimulatedReading r : sync.readings()) {
                if (throughput.size() < maxReadings) {
                    throughput.add(record(r, r.receivedAt().toEpochMilli()));
                    if (r.expectedValid()) {
                        expectedValid++;
                    }
                }
            }
        }
    }

    /**
     * Generates and serialises the throughput input.
     *
     * @param base        the simulation settings (seed, participants, rates); its dates are replaced
     * @param days        local dates of throughput data
     * @param now         where generation stops (the broker refuses timestamps far in the future)
     * @param maxReadings cap on the throughput input
     * @param topic       the topic the serialiser registers the value for ({@code readings.raw})
     */
    public static BenchInput generate(
            SimulationSpec base,
            int days,
            Instant now,
            long maxReadings,
            String topic,
            Serializer<RawReading> serializer) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate start = today.minusDays(days + PACED_DAYS);
        SimulationSpec spec =
                base.toBuilder().startDate(start).days(days + PACED_DAYS + 1).build();
        Instant cutoff = start.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
        return new BenchInput(spec, Population.of(spec), topic, serializer, cutoff, now, maxReadings);
    }

    private BenchRecord record(SimulatedReading r, long timestamp) {
        byte[] key = r.deviceId().getBytes(StandardCharsets.UTF_8);
        byte[] value = serializer.serialize(topic, r.raw());
        return new BenchRecord(key, value, timestamp, r.participantId(), r.expectedValid());
    }

    public SimulationSpec spec() {
        return spec;
    }

    public Population population() {
        return population;
    }

    /** The throughput input, in reception order. */
    public List<BenchRecord> throughput() {
        return throughput;
    }

    /** How many throughput readings the simulator's oracle expects on {@code readings.normalized}. */
    public long expectedValid() {
        return expectedValid;
    }

    /** Where the throughput input ends and the paced readings start. */
    public Instant cutoff() {
        return cutoff;
    }

    /** Key and value bytes of the throughput input. */
    public long throughputBytes() {
        long n = 0;
        for (BenchRecord r : throughput) {
            n += r.size();
        }
        return n;
    }

    /**
     * Up to {@code count} fresh readings received after the cut-off, serialised. Each gets a record timestamp
     * unique for its participant (its reception instant, moved on by a millisecond on a tie), so the
     * {@code activity.daily} record it causes, which carries that timestamp, identifies it.
     */
    public List<BenchRecord> paced(int count) {
        List<BenchRecord> out = new ArrayList<>(Math.max(0, count));
        while (out.size() < count) {
            if (pending.isEmpty()) {
                if (!syncs.hasNext()) {
                    break;
                }
                DeviceSync sync = syncs.next();
                if (sync.receivedAt().isBefore(cutoff)) {
                    continue; // throughput-period readings beyond the cap: not fresh, skipped
                }
                pending.addAll(sync.readings());
                continue;
            }
            SimulatedReading r = pending.poll();
            long ts = r.receivedAt().toEpochMilli();
            if (r.participantId() != null) {
                Long last = lastPacedTimestamp.get(r.participantId());
                if (last != null && ts <= last) {
                    ts = last + 1;
                }
                lastPacedTimestamp.put(r.participantId(), ts);
            }
            out.add(record(r, ts));
        }
        return out;
    }
}
