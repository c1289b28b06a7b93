package io.engage.simulator;

import io.engage.avro.Metric;
import io.engage.avro.RawReading;
import io.engage.ingest.validation.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a valid reading into an invalid one of a chosen kind, such that the first check of docs/ingest.md it
 * fails is exactly the kind's reason (every earlier check still passes). Times of FUTURE and TOO_LATE readings
 * keep a margin of hours, so the reason also holds when a gateway receives them later than simulated.
 */
final class InvalidReadings {
    private static final List<String> UNKNOWN_METRICS = List.of("floors", "sleep", "Steps", "spo2");

    private final SimulationSpec spec;
    private final Population population;
    private final List<Kind> kinds;

    InvalidReadings(SimulationSpec spec, Population population) {
        this.spec = spec;
        this.population = population;
        this.kinds = new ArrayList<>(spec.invalidKinds()); // EnumSet order: deterministic
    }

    /**
     * An invalid reading derived from {@code valid} (sent by participant {@code p}, received at {@code receivedAt}).
     * UNKNOWN_DEVICE and NO_CONSENT readings are sent as another device.
     */
    SimulatedReading derive(SimulatedReading valid, SimulatedParticipant p, Instant receivedAt, SplittableRandom r) {
        Kind kind = kinds.get(r.nextInt(kinds.size()));
        if (kind == Kind.INVALID_NO_CONSENT && population.withoutConsent().isEmpty()) {
            kind = Kind.INVALID_UNKNOWN_DEVICE; // nobody without consent to send as
        }
        RawReading raw = valid.raw();
        Metric metric = Units.metric(raw.getMetric()).orElseThrow();
        ZoneId zone = p.clockZone();
        Instant start = OffsetDateTime.parse(raw.getStart()).toInstant();
        Instant end = OffsetDateTime.parse(raw.getEnd()).toInstant();
        Duration length = Duration.between(start, end);
        RawReading.Builder b = RawReading.newBuilder(raw).setSourceRecordId(raw.getSourceRecordId() + ":x");
        String device = valid.deviceId();
        String participant = valid.participantId();
        switch (kind) {
            case INVALID_MALFORMED -> {
                switch (r.nextInt(3)) {
                    case 0 -> b.setStart(Rfc3339.withoutOffset(start, zone));
                    case 1 -> b.setEnd("yesterday evening");
                    default -> b.setUnit("");
                }
            }
            case INVALID_UNKNOWN_METRIC -> b.setMetric(UNKNOWN_METRICS.get(r.nextInt(UNKNOWN_METRICS.size())));
            case INVALID_UNKNOWN_UNIT ->
                b.setUnit(
                        switch (metric) {
                            case steps -> "strides";
                            case distance -> "yd";
                            case calories -> "cal"; // small calories: units are case-sensitive
                            case active_minutes -> "hr";
                            case heart_rate -> "Hz";
                        });
            case INVALID_BAD_INTERVAL -> {
                int variant = r.nextInt(3);
                if (variant == 0 || (variant == 2 && !Units.cumulative(metric))) { // end before start
                    Instant newEnd = length.isZero() ? start.minus(Duration.ofMinutes(5)) : start;
                    Instant newStart = length.isZero() ? start : end;
                    b.setStart(Rfc3339.format(newStart, zone)).setEnd(Rfc3339.format(newEnd, zone));
                } else if (variant == 1) { // longer than 24 hours
                    b.setStart(Rfc3339.format(end.minus(Duration.ofHours(25)), zone));
                } else { // zero length for a cumulative metric
                    b.setEnd(raw.getStart());
                }
            }
            case INVALID_OUT_OF_RANGE -> {
                double minutes = length.toSeconds() / 60.0;
                double canonical;
                if (r.nextBoolean()) {
                    canonical = -(Math.abs(valid.canonicalValue()) + 1);
                } else {
                    canonical = switch (metric) {
                        case steps -> 400 * minutes;
                        case distance -> 20 * minutes * 60;
                        case calories -> 40 * minutes;
                        case active_minutes -> minutes + 5;
                        case heart_rate -> r.nextBoolean() ? 300 : 12;
                    };
                }
                b.setValue(canonical / Units.factor(metric, raw.getUnit()).orElseThrow());
            }
            case INVALID_FUTURE -> {
                Instant latest = receivedAt.isAfter(spec.endInstant()) ? receivedAt : spec.endInstant();
                Instant newEnd =
                        latest.plus(Duration.ofHours(24 + r.nextInt(12))).plusSeconds(r.nextInt(3600));
                b.setStart(Rfc3339.format(newEnd.minus(length), zone)).setEnd(Rfc3339.format(newEnd, zone));
            }
            case INVALID_TOO_LATE -> {
                Instant newEnd = receivedAt.minus(spec.lateHorizon()).minus(Duration.ofHours(1 + r.nextInt(47)));
                b.setStart(Rfc3339.format(newEnd.minus(length), zone)).setEnd(Rfc3339.format(newEnd, zone));
            }
            case INVALID_UNKNOWN_DEVICE -> {
                device = population
                        .unpairedDeviceIds()
                        .get(r.nextInt(population.unpairedDeviceIds().size()));
                participant = null;
                b.setDeviceId(device).setSourceRecordId(device + ":" + metric + ":" + start.getEpochSecond());
            }
            case INVALID_NO_CONSENT -> {
                List<SimulatedParticipant> without = population.withoutConsent();
                SimulatedParticipant q = without.get(r.nextInt(without.size()));
                device = q.devices().get(0).deviceId();
                participant = q.id();
                b.setDeviceId(device)
                        .setSourceRecordId(device + ":" + metric + ":" + start.getEpochSecond())
                        .setStart(Rfc3339.format(start, q.clockZone()))
                        .setEnd(Rfc3339.format(end, q.clockZone()));
            }
            default -> throw new IllegalStateException("not an invalid kind: " + kind);
        }
        return new SimulatedReading(device, participant, b.build(), kind, kind.reason(), receivedAt);
    }
}
