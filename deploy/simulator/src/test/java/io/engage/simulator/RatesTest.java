package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.ingest.validation.ReadingValidator;
import io.engage.ingest.validation.Validation;
import io.engage.ingest.validation.ValidationPolicy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The oracle holds: the validator decides exactly the reason the generator recorded, at the generated reception time. */
class RatesTest {
    static final ReadingValidator VALIDATOR = new ReadingValidator(ValidationPolicy.defaults());

    static RejectReason validatorSays(SimulatedReading r) {
        Validation v = VALIDATOR.check(r.raw(), r.receivedAt());
        return v instanceof Validation.Invalid i ? i.reason() : null;
    }

    /** What the validator must say: the expected reason, unless only reference data can tell. */
    static RejectReason validatorMustSay(SimulatedReading r) {
        return r.kind().decidedWithoutReferenceData() ? r.expectedReason() : null;
    }

    @Test
    void withEveryRateAtZeroEverythingIsAValidOriginal() {
        List<SimulatedReading> all = Specs.all(Specs.clean().days(4).build());

        assertThat(all).hasSizeGreaterThan(5_000);
        assertThat(all).allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo(Kind.ORIGINAL);
            assertThat(r.expectedReason()).isNull();
            assertThat(validatorSays(r)).as("%s", r).isNull();
        });
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "INVALID_.*", mode = EnumSource.Mode.MATCH_ALL)
    void eachInvalidKindIsRejectedWithExactlyItsReason(Kind kind) {
        SimulationSpec spec = Specs.only(kind, 0.2);
        Population population = Population.of(spec);
        List<SimulatedReading> all =
                new ReadingGenerator(spec, population).readings().toList();
        List<SimulatedReading> invalid =
                all.stream().filter(r -> r.kind() == kind).toList();

        assertThat(invalid).hasSizeGreaterThan(200);
        assertThat(all).allSatisfy(r -> assertThat(r.kind()).isIn(Kind.ORIGINAL, kind));
        assertThat(invalid).allSatisfy(r -> {
            assertThat(r.expectedReason()).isEqualTo(kind.reason());
            assertThat(validatorSays(r)).as("%s", r).isEqualTo(validatorMustSay(r));
        });
        assertThat(all)
                .filteredOn(r -> r.kind() == Kind.ORIGINAL)
                .allSatisfy(r -> assertThat(validatorSays(r)).as("%s", r).isNull());
        if (kind == Kind.INVALID_UNKNOWN_DEVICE) {
            assertThat(invalid).allSatisfy(r -> {
                assertThat(population.byDevice(r.deviceId())).isEmpty();
                assertThat(r.raw().getDeviceId()).isEqualTo(r.deviceId());
                assertThat(r.participantId()).isNull();
            });
        }
        if (kind == Kind.INVALID_NO_CONSENT) {
            assertThat(invalid).allSatisfy(r -> {
                SimulatedParticipant owner = population.byDevice(r.deviceId()).orElseThrow();
                assertThat(owner.consent()).isFalse();
                assertThat(r.participantId()).isEqualTo(owner.id());
            });
        }
    }

    @Test
    void theDefaultMixProducesEveryReasonCode() {
        SimulationSpec spec = Specs.small().invalidRate(0.1).build();
        Map<RejectReason, Long> reasons = Specs.all(spec).stream()
                .filter(r -> r.expectedReason() != null)
                .collect(Collectors.groupingBy(
                        SimulatedReading::expectedReason,
                        () -> new EnumMap<>(RejectReason.class),
                        Collectors.counting()));

        assertThat(reasons.keySet()).containsExactlyInAnyOrder(RejectReason.values());
    }

    @Property(tries = 25)
    void forAnySeedAndRatesTheValidatorAgreesWithTheOracle(
            @ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 0.5) double invalid,
            @ForAll @DoubleRange(min = 0, max = 0.5) double duplicate,
            @ForAll @DoubleRange(min = 0, max = 0.5) double correction,
            @ForAll @DoubleRange(min = 0, max = 1) double lateSync) {
        SimulationSpec spec = SimulationSpec.builder()
                .seed(seed)
                .participants(4)
                .teams(1)
                .startDate(Specs.START)
                .days(8)
                .invalidRate(invalid)
                .duplicateRate(duplicate)
                .correctionRate(correction)
                .lateSyncRate(lateSync)
                .build();

        new ReadingGenerator(spec).readings().forEach(r -> {
            assertThat(validatorSays(r)).as("%s", r).isEqualTo(validatorMustSay(r));
            assertThat(r.expectedReason()).isEqualTo(r.kind().reason());
        });
    }

    @Test
    void invalidKindsAreRestrictedToTheChosenOnes() {
        SimulationSpec spec = Specs.clean()
                .invalidRate(0.3)
                .invalidKinds(Set.of(Kind.INVALID_FUTURE, Kind.INVALID_TOO_LATE))
                .build();

        assertThat(Specs.all(spec))
                .extracting(SimulatedReading::kind)
                .containsOnly(Kind.ORIGINAL, Kind.INVALID_FUTURE, Kind.INVALID_TOO_LATE);
    }
}
