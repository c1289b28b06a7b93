package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.avro.RawReading;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Duplicates, corrections, late syncs and dual devices look like what real gateways send. */
class ResendsTest {

    @Test
    void duplicatesAreExactResendsOfAnEarlierReadingHoursLater() {
        List<SimulatedReading> all = Specs.all(Specs.clean().duplicateRate(0.2).build());
        Map<RawReading, SimulatedReading> firstSeen = new HashMap<>();
        int duplicates = 0;
        for (SimulatedReading r : all) {
            if (r.kind() == Kind.DUPLICATE) {
                duplicates++;
                SimulatedReading original = firstSeen.get(r.raw());
                assertThat(original).as("an earlier reading equal to %s", r).isNotNull();
                assertThat(original.kind()).isEqualTo(Kind.ORIGINAL);
                assertThat(original.deviceId()).isEqualTo(r.deviceId());
                assertThat(Duration.between(original.receivedAt(), r.receivedAt()))
                        .isBetween(Duration.ofHours(1), Duration.ofHours(6));
                assertThat(r.expectedReason()).isNull();
            } else {
                firstSeen.putIfAbsent(r.raw(), r);
            }
        }
        assertThat(duplicates).isGreaterThan(all.size() / 10);
    }

    @Test
    void correctionsShareTheIdentityDifferInValueAndArriveLater() {
        List<SimulatedReading> all = Specs.all(Specs.clean().correctionRate(0.2).build());
        Map<SimulatedReading.Identity, SimulatedReading> originals = new HashMap<>();
        int corrections = 0;
        for (SimulatedReading r : all) {
            if (r.kind() == Kind.CORRECTION) {
                corrections++;
                SimulatedReading original = originals.get(r.identity());
                assertThat(original)
                        .as("an earlier reading with the identity of %s", r)
                        .isNotNull();
                assertThat(r.canonicalValue()).isNotEqualTo(original.canonicalValue());
                assertThat(r.raw().getUnit()).isEqualTo(original.raw().getUnit());
                assertThat(r.receivedAt()).isAfter(original.receivedAt());
                assertThat(RatesTest.validatorSays(r)).isNull();
            } else {
                assertThat(originals.put(r.identity(), r))
                        .as("identities of originals are unique")
                        .isNull();
            }
        }
        assertThat(corrections).isGreaterThan(all.size() / 10);
    }

    @Test
    void aLateSyncDeliversDaysOfADeviceInOneBatchWithinTheHorizon() {
        SimulationSpec spec =
                Specs.clean().participants(6).days(14).lateSyncRate(1).build();
        List<DeviceSync> late = new ReadingGenerator(spec)
                .syncStream(Instant.MAX)
                .filter(s -> s.readings().stream().anyMatch(r -> r.kind() == Kind.LATE_SYNC))
                .toList();

        assertThat(late).isNotEmpty();
        for (DeviceSync sync : late) {
            Instant earliest = sync.readings().stream()
                    .map(r -> r.identity().start())
                    .min(Instant::compareTo)
                    .orElseThrow();
            Instant latest = sync.readings().stream()
                    .map(r -> r.identity().end())
                    .max(Instant::compareTo)
                    .orElseThrow();
            assertThat(Duration.between(earliest, latest))
                    .as("days in one batch")
                    .isGreaterThan(Duration.ofDays(5));
            assertThat(Duration.between(earliest, sync.receivedAt()))
                    .as("inside the 7-day horizon")
                    .isLessThan(Duration.ofDays(6).plusHours(1));
            assertThat(sync.readings()).allSatisfy(r -> {
                assertThat(r.kind()).isEqualTo(Kind.LATE_SYNC);
                assertThat(r.receivedAt()).isEqualTo(sync.receivedAt());
                assertThat(RatesTest.validatorSays(r)).isNull();
            });
        }
        // two weeks, one late sync per device and week
        long devices = Population.of(spec).devices().size();
        assertThat(late).hasSize((int) (2 * devices));
    }

    @Test
    void dualDeviceWearersSendOverlappingStepReadingsFromTrackerAndGlasses() {
        SimulationSpec spec =
                Specs.clean().participants(5).days(2).dualDeviceRate(1).build();
        Population population = Population.of(spec);
        Map<String, Map<String, Double>> stepsByDeviceType = new HashMap<>();

        assertThat(population.members())
                .allSatisfy(m -> assertThat(m.devices())
                        .extracting(SimulatedDevice::type)
                        .containsExactly(DeviceType.tracker, DeviceType.glasses));
        new ReadingGenerator(spec, population)
                .readings()
                .filter(r -> r.raw().getMetric().equals("steps"))
                .forEach(r -> {
                    SimulatedParticipant p = population.byDevice(r.deviceId()).orElseThrow();
                    DeviceType type = p.devices().stream()
                            .filter(d -> d.deviceId().equals(r.deviceId()))
                            .findFirst()
                            .orElseThrow()
                            .type();
                    stepsByDeviceType
                            .computeIfAbsent(
                                    p.id() + "|"
                                            + OffsetDateTime.parse(r.raw().getStart())
                                                    .toInstant(),
                                    k -> new HashMap<>())
                            .put(type.name(), r.canonicalValue());
                });

        long overlapping =
                stepsByDeviceType.values().stream().filter(m -> m.size() == 2).count();
        assertThat(overlapping).isGreaterThan(5 * 2 * 14L); // glasses are worn 15 hours a day
        stepsByDeviceType.values().stream()
                .filter(m -> m.size() == 2 && m.get("tracker") > 200)
                .forEach(m -> assertThat(m.get("glasses") / m.get("tracker")).isBetween(0.75, 1.1));
    }
}
