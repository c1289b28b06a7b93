package io.engage.simulator;

import io.engage.avro.Metric;
import io.engage.avro.RawReading;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One participant's device syncs in the order they happen. Hours are generated lazily, only as far as needed to
 * know the next sync: a device syncs each hour shortly after it ends, except in a late-sync stretch, where it
 * holds the hours back and sends them in one batch at the stretch's end. Re-sends (duplicates, corrections) are
 * separate syncs hours later. Memory is bounded by what is pending (at most a late-sync stretch per device).
 */
final class ParticipantTimeline {
    /** A regular sync happens 1 to 12 minutes after its hour ends (shorter than any hour, so syncs stay in order). */
    static final Duration MIN_SYNC_DELAY = Duration.ofMinutes(1);

    private static final int MAX_SYNC_DELAY_SECONDS = 12 * 60;

    private record Key(Instant time, String deviceId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = time.compareTo(o.time);
            return c != 0 ? c : deviceId.compareTo(o.deviceId);
        }
    }

    private record Delivery(SimulatedDevice device, LocalClockHours.Hour hour, boolean late) {}

    private record Resend(RawReading raw, Kind kind) {}

    private static final class Plan {
        final List<Delivery> deliveries = new ArrayList<>();
        final List<Resend> resends = new ArrayList<>();
    }

    private final SimulationSpec spec;
    private final SimulatedParticipant participant;
    private final ActivityModel model;
    private final InvalidReadings invalids;
    private final LocalClockHours hours;
    private final TreeMap<Key, Plan> plans = new TreeMap<>();

    ParticipantTimeline(
            SimulationSpec spec, SimulatedParticipant participant, ActivityModel model, InvalidReadings invalids) {
        this.spec = spec;
        this.participant = participant;
        this.model = model;
        this.invalids = invalids;
        this.hours = new LocalClockHours(participant.clockZone(), spec.startDate(), spec.days());
    }

    int index() {
        return participant.index();
    }

    /** The instant of the next sync, or null when the participant has nothing more to send. */
    Instant head() {
        while (true) {
            Instant end = hours.peekEnd();
            // every hour not generated yet syncs at or after this watermark
            Instant watermark = end == null ? null : end.plus(MIN_SYNC_DELAY);
            if (!plans.isEmpty()
                    && (watermark == null || plans.firstKey().time().isBefore(watermark))) {
                return plans.firstKey().time();
            }
            if (watermark == null) {
                return null;
            }
            generate(hours.next());
        }
    }

    /** The next sync (call {@link #head()} first): the device's batch, then any batches sent as other devices. */
    List<DeviceSync> emit() {
        Map.Entry<Key, Plan> entry = plans.pollFirstEntry();
        Instant at = entry.getKey().time();
        String deviceId = entry.getKey().deviceId();
        Plan plan = entry.getValue();
        List<SimulatedReading> batch = new ArrayList<>();
        TreeMap<String, List<SimulatedReading>> others = new TreeMap<>();
        long p = participant.index();
        for (Delivery d : plan.deliveries) {
            int type = d.device().type().ordinal();
            LocalClockHours.Hour h = d.hour();
            for (Metric m : d.device().metrics()) {
                if (!spec.metrics().contains(m)) {
                    continue;
                }
                SimulatedReading original = original(d, m, at);
                batch.add(original);
                SplittableRandom events = Seeds.rng(spec.seed(), Seeds.EVENTS, p, type, h.index(), m.ordinal());
                double invalid = events.nextDouble();
                double duplicate = events.nextDouble();
                double correction = events.nextDouble();
                if (invalid < spec.invalidRate()) {
                    SimulatedReading bad = invalids.derive(
                            original,
                            participant,
                            at,
                            Seeds.rng(spec.seed(), Seeds.INVALID, p, type, h.index(), m.ordinal()));
                    if (bad.deviceId().equals(deviceId)) {
                        batch.add(bad);
                    } else {
                        others.computeIfAbsent(bad.deviceId(), k -> new ArrayList<>())
                                .add(bad);
                    }
                }
                if (duplicate < spec.duplicateRate()) {
                    SplittableRandom r = Seeds.rng(spec.seed(), Seeds.RESEND, p, type, h.index(), m.ordinal(), 0);
                    resend(
                            at.plus(Duration.ofHours(1 + r.nextInt(6))),
                            deviceId,
                            new Resend(original.raw(), Kind.DUPLICATE));
                }
                if (correction < spec.correctionRate()) {
                    SplittableRandom r = Seeds.rng(spec.seed(), Seeds.RESEND, p, type, h.index(), m.ordinal(), 1);
                    RawReading corrected = ActivityModel.corrected(original.raw(), m, h.minutes(), r);
                    resend(
                            at.plus(Duration.ofHours(1 + r.nextInt(6))),
                            deviceId,
                            new Resend(corrected, Kind.CORRECTION));
                }
            }
        }
        for (Resend r : plan.resends) {
            batch.add(new SimulatedReading(deviceId, participant.id(), r.raw(), r.kind(), null, at));
        }
        List<DeviceSync> out = new ArrayList<>(1 + others.size());
        out.add(new DeviceSync(at, deviceId, batch));
        others.forEach((device, readings) -> out.add(new DeviceSync(at, device, readings)));
        return out;
    }

    private SimulatedReading original(Delivery d, Metric m, Instant at) {
        LocalClockHours.Hour h = d.hour();
        ActivityModel.Value v = model.value(participant, d.device(), h, m);
        SplittableRandom unitChoice = Seeds.rng(
                spec.seed(), Seeds.UNIT, participant.index(), d.device().type().ordinal(), h.index(), m.ordinal());
        String unit = ActivityModel.unit(m, unitChoice);
        String deviceId = d.device().deviceId();
        // the all-arguments constructor: the builder resolves schema defaults on every build, which costs
        RawReading raw = new RawReading(
                deviceId,
                m.name(),
                ActivityModel.inUnit(m, unit, v.canonical()),
                unit,
                Rfc3339.format(v.start(), participant.clockZone()),
                Rfc3339.format(v.end(), participant.clockZone()),
                deviceId + ":" + m.name() + ":" + v.start().getEpochSecond(),
                null,
                null);
        return new SimulatedReading(
                deviceId, participant.id(), raw, d.late() ? Kind.LATE_SYNC : Kind.ORIGINAL, null, at);
    }

    private void resend(Instant at, String deviceId, Resend r) {
        plans.computeIfAbsent(new Key(at, deviceId), k -> new Plan()).resends.add(r);
    }

    private void generate(LocalClockHours.Hour h) {
        long dayOfSimulation = ChronoUnit.DAYS.between(spec.startDate(), h.date());
        for (SimulatedDevice device : participant.devices()) {
            if (!device.wornAt(h.hourOfDay()) || device.metrics().stream().noneMatch(spec.metrics()::contains)) {
                continue;
            }
            int type = device.type().ordinal();
            long week = dayOfSimulation / 7;
            boolean late = dayOfSimulation % 7 < spec.lateSyncDays()
                    && Seeds.rng(spec.seed(), Seeds.OFFLINE, participant.index(), type, week)
                                    .nextDouble()
                            < spec.lateSyncRate();
            Instant at;
            if (late) {
                // the device comes back at the end of the stretch (or of the simulation) and sends it all at once
                long lastDay = Math.min(week * 7 + spec.lateSyncDays(), spec.days());
                Instant back = spec.startDate()
                        .plusDays(lastDay)
                        .atStartOfDay(participant.clockZone())
                        .toInstant();
                int delay = 5 * 60
                        + Seeds.rng(spec.seed(), Seeds.OFFLINE, participant.index(), type, week, 1)
                                .nextInt(50 * 60);
                at = back.plusSeconds(delay);
            } else {
                int delay = 60
                        + Seeds.rng(spec.seed(), Seeds.SYNC_DELAY, participant.index(), type, h.index())
                                .nextInt(MAX_SYNC_DELAY_SECONDS - 60);
                at = h.end().plusSeconds(delay);
            }
            plans.computeIfAbsent(new Key(at, device.deviceId()), k -> new Plan())
                    .deliveries
                    .add(new Delivery(device, h, late));
        }
    }
}
