package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A simulation is a pure function of its spec (and of where generation stops). */
class ReadingGeneratorDeterminismTest {

    @Test
    void theSameSeedGivesTheSameReadingsAndPopulation() {
        SimulationSpec spec = Specs.small().build();

        List<SimulatedReading> first = Specs.all(spec);
        List<SimulatedReading> second = Specs.all(spec);

        assertThat(first).hasSizeGreaterThan(1_000);
        assertThat(second).isEqualTo(first);
        assertThat(Population.of(spec).participants())
                .isEqualTo(Population.of(spec).participants());
        assertThat(Population.of(spec).devices()).isEqualTo(Population.of(spec).devices());
    }

    @Test
    void aDifferentSeedGivesDifferentReadingsAndPopulation() {
        SimulationSpec a = Specs.small().seed(1).build();
        SimulationSpec b = Specs.small().seed(2).build();

        assertThat(Specs.all(a).stream().map(SimulatedReading::raw).toList())
                .isNotEqualTo(Specs.all(b).stream().map(SimulatedReading::raw).toList());
        assertThat(Population.of(a).participants())
                .isNotEqualTo(Population.of(b).participants());
    }

    @Test
    void readingsComeInTheOrderTheyAreReceived() {
        List<SimulatedReading> all = Specs.all(Specs.small().build());

        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).receivedAt()).isAfterOrEqualTo(all.get(i - 1).receivedAt());
        }
    }

    @Test
    void stoppingEarlierGivesAPrefixAndNothingReceivedAfterTheStop() {
        SimulationSpec spec = Specs.small().build();
        ReadingGenerator generator = new ReadingGenerator(spec);
        Instant stop = spec.startDate()
                .plusDays(1)
                .atStartOfDay()
                .toInstant(java.time.ZoneOffset.UTC)
                .plus(Duration.ofHours(5));

        List<SimulatedReading> all = generator.readings().toList();
        List<SimulatedReading> upToStop = generator.readings(stop).toList();

        assertThat(upToStop)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.receivedAt()).isBeforeOrEqualTo(stop));
        assertThat(all.subList(0, upToStop.size())).isEqualTo(upToStop);
        assertThat(all.get(upToStop.size()).receivedAt()).isAfter(stop);
    }

    @Test
    void changingOneKnobDoesNotReshuffleUnrelatedTraits() {
        SimulationSpec a = Specs.small().dualDeviceRate(0).build();
        SimulationSpec b = Specs.small().dualDeviceRate(1).build();

        assertThat(Population.of(b).participants()).isEqualTo(Population.of(a).participants());
        assertThat(Population.of(b).members())
                .extracting(SimulatedParticipant::dailySteps)
                .isEqualTo(Population.of(a).members().stream()
                        .map(SimulatedParticipant::dailySteps)
                        .toList());
    }
}
