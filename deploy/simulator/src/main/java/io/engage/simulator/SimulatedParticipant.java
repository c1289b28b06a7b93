package io.engage.simulator;

import io.engage.avro.Participant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A simulated participant: the published profile plus the hidden traits the generator draws readings from.
 *
 * @param index          0-based position in the population (the id is {@code p-} and index + 1)
 * @param profile        the profile as published to {@code participants}
 * @param clockZone      the zone the participant lives in: the profile's zone, or, when the profile has none,
 *                       the zone whose offsets the devices still put on their timestamps
 * @param dailySteps     the participant's typical (median) weekday step total
 * @param weekendFactor  weekend step totals relative to weekdays
 * @param strideMetres   metres per step
 * @param restingHeartRate beats per minute at rest
 * @param devices        paired devices (two for participants who wear a tracker and glasses)
 */
public record SimulatedParticipant(
        int index,
        Participant profile,
        ZoneId clockZone,
        double dailySteps,
        double weekendFactor,
        double strideMetres,
        int restingHeartRate,
        List<SimulatedDevice> devices) {
    public SimulatedParticipant {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(clockZone, "clockZone");
        devices = List.copyOf(devices);
    }

    public String id() {
        return profile.getParticipantId();
    }

    public boolean consent() {
        return profile.getConsent();
    }

    /** The zone of the profile; empty for participants who did not give one. */
    public Optional<ZoneId> profileZone() {
        return Optional.ofNullable(profile.getTimezone()).map(ZoneId::of);
    }

    /** Whether the participant wears two devices at once whose step readings overlap. */
    public boolean dualDevice() {
        return devices.size() > 1;
    }
}
