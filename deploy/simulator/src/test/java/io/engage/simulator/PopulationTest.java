package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.Participant;
import io.engage.avro.Program;
import io.engage.avro.Team;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The population is pseudonymous, varied and published as the reference topics' records. */
class PopulationTest {
    final SimulationSpec spec = Specs.small()
            .participants(300)
            .teams(12)
            .dualDeviceRate(0.2)
            .noConsentShare(0.05)
            .build();
    final Population population = Population.of(spec);

    @Test
    void idsArePseudonymous() {
        assertThat(population.participants())
                .extracting(Participant::getParticipantId)
                .allMatch(id -> id.matches("p-\\d{5}"))
                .doesNotHaveDuplicates();
        assertThat(population.teams())
                .extracting(Team::getTeamId)
                .allMatch(id -> id.matches("t-\\d{3}"))
                .hasSize(12);
        assertThat(population.devices())
                .extracting(Device::getDeviceId)
                .allMatch(id -> id.matches("(trk|gls|phn)-\\d{5}"))
                .doesNotHaveDuplicates();
        assertThat(population.unpairedDeviceIds())
                .isNotEmpty()
                .noneMatch(id -> population.byDevice(id).isPresent());
    }

    @Test
    void everyoneBelongsToTheProgrammeAndATeamOfIt() {
        Set<String> teams = new HashSet<>();
        population.teams().forEach(t -> teams.add(t.getTeamId()));

        assertThat(population.program().getProgramId()).isEqualTo(spec.programId());
        assertThat(population.program().getStepGoal()).isEqualTo(7_000);
        assertThat(population.teams())
                .allSatisfy(t -> assertThat(t.getProgramId()).isEqualTo(spec.programId()));
        assertThat(population.participants()).allSatisfy(p -> {
            assertThat(p.getProgramId()).isEqualTo(spec.programId());
            assertThat(teams).contains(p.getTeamId());
        });
    }

    @Test
    void consentIsMostlyGivenAndSomeChooseTheirOwnGoal() {
        long withoutConsent =
                population.participants().stream().filter(p -> !p.getConsent()).count();
        assertThat(withoutConsent).isBetween(1L, 40L);
        assertThat(population.withoutConsent()).hasSize((int) withoutConsent);

        assertThat(population.participants())
                .filteredOn(p -> p.getStepGoal() != null)
                .hasSizeBetween(20, 80)
                .allSatisfy(p -> assertThat(p.getStepGoal())
                        .isBetween(
                                population.program().getMinStepGoal(),
                                population.program().getMaxStepGoal()));
    }

    @Test
    void devicesAreTrackersGlassesAndPhonesAndSomeWearTwo() {
        assertThat(population.devices())
                .extracting(Device::getType)
                .contains(DeviceType.tracker, DeviceType.glasses, DeviceType.phone);
        assertThat(population.members())
                .filteredOn(SimulatedParticipant::dualDevice)
                .hasSizeBetween(30, 100);
        assertThat(population.devices())
                .allSatisfy(d -> assertThat(population
                                .byDevice(d.getDeviceId())
                                .orElseThrow()
                                .id())
                        .isEqualTo(d.getParticipantId()));
    }

    @Test
    void recordsSerialiseWithTheirSchemas() throws IOException {
        assertThat(Program.fromByteBuffer(population.program().toByteBuffer())).isEqualTo(population.program());
        for (Team t : population.teams()) {
            assertThat(Team.fromByteBuffer(t.toByteBuffer())).isEqualTo(t);
        }
        for (Participant p : population.participants()) {
            assertThat(Participant.fromByteBuffer(p.toByteBuffer())).isEqualTo(p);
        }
        for (Device d : population.devices()) {
            assertThat(Device.fromByteBuffer(d.toByteBuffer())).isEqualTo(d);
        }
    }

    @Test
    void profilesExistBeforeTheFirstReading() {
        assertThat(population.participants())
                .allSatisfy(p -> assertThat(p.getUpdatedAt()).isBefore(spec.startInstant()));
        assertThat(population.devices())
                .allSatisfy(d -> assertThat(d.getPairedAt()).isBefore(spec.startInstant()));
    }
}
