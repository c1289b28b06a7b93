package io.engage.streams.philanthropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.engage.avro.Beneficiary;
import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.avro.Program;
import io.engage.avro.Team;
import io.engage.streams.EngagementStores;
import io.engage.streams.testing.EngagementDriver;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/philanthropy.md through the topology: points and team-step thresholds become donations with deterministic ids, the
 * programme's budget is never exceeded, deferred donations are released oldest first when the budget is raised, and
 * the per-participant cap holds.
 */
class DonationLedgerTest {
    private static final String P = EngagementDriver.PROGRAM;
    private static final Instant T0 = EngagementDriver.NOW;

    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    /** Every step goal day is worth 10 points; with 10 points per donation each goal day is one threshold. */
    private static Program.Builder program(int budget) {
        return EngagementDriver.program(P)
                .setPointsPerDonation(10)
                .setDonationBudget(budget)
                .setTeamStepsPerDonation(0);
    }

    /** A step goal day (8,000 steps) for the participant on {@code date}, received at {@code at}. */
    private void goalDay(String pid, String date, Instant at) {
        d.steps(pid, "tracker-" + pid, 8000, date + "T09:00:00Z", date + "T11:00:00Z")
                .receivedAt(at)
                .send();
    }

    private ProgramLedger account() {
        return d.<ProgramLedger>store(EngagementStores.DONATION_ACCOUNTS).get(P);
    }

    @Test
    void pointsThresholdTriggersOneDonationWithTheSpecId() {
        d.program(program(1000).setDonationItem("eye exam and glasses").build());
        d.profile(EngagementDriver.participant("p-1", "UTC")
                .setBeneficiary(Beneficiary.veterans)
                .build());
        goalDay("p-1", "2026-11-18", T0);
        // the same reading again, and a correction that adds nothing: no second donation
        goalDay("p-1", "2026-11-18", T0.plusSeconds(60));

        assertThat(d.donations).singleElement().satisfies(don -> {
            assertThat(don.getDonationId()).isEqualTo("don:prog-1:p-1:1");
            assertThat(don.getStatus()).isEqualTo(DonationStatus.TRIGGERED);
            assertThat(don.getSequence()).isEqualTo(1);
            assertThat(don.getParticipantId()).isEqualTo("p-1");
            assertThat(don.getTeamId()).isNull();
            assertThat(don.getBeneficiary()).as("the participant's choice").isEqualTo(Beneficiary.veterans);
            assertThat(don.getItem()).isEqualTo("eye exam and glasses");
            assertThat(don.getTriggeredAt()).isEqualTo(T0);
        });
        assertThat(account().made()).isEqualTo(1);
        assertThat(account().byBeneficiary()).containsEntry("veterans", 1L);
    }

    @Test
    void oneAwardPassingSeveralThresholdsGivesOneDonationPerThreshold() {
        d.program(program(1000).setPointsPerDonation(4).build());
        d.profile("p-1", "UTC");
        goalDay("p-1", "2026-11-18", T0); // 10 points: thresholds 4 and 8

        assertThat(d.donations)
                .extracting(Donation::getDonationId, Donation::getBeneficiary)
                .containsExactly(
                        tuple("don:prog-1:p-1:1", Beneficiary.children),
                        tuple("don:prog-1:p-1:2", Beneficiary.children));
    }

    @Test
    void exactlyAtTheBudgetEverythingIsTriggeredAndNothingDeferred() {
        d.program(program(2).build());
        d.profile("p-1", "UTC").profile("p-2", "UTC");
        goalDay("p-1", "2026-11-18", T0);
        goalDay("p-2", "2026-11-18", T0.plusSeconds(1));

        assertThat(d.donations)
                .extracting(Donation::getStatus)
                .containsExactly(DonationStatus.TRIGGERED, DonationStatus.TRIGGERED);
        assertThat(account().made()).isEqualTo(2);
        assertThat(account().deferred()).isZero();
        assertThat(account().remaining()).isZero();
    }

    @Test
    void overTheBudgetDonationsAreDeferredNeverTriggered() {
        d.program(program(2).build());
        d.profile("p-1", "UTC").profile("p-2", "UTC").profile("p-3", "UTC");
        goalDay("p-1", "2026-11-18", T0);
        goalDay("p-2", "2026-11-18", T0.plusSeconds(1));
        goalDay("p-3", "2026-11-18", T0.plusSeconds(2));
        goalDay("p-1", "2026-11-19", T0.plusSeconds(3));
        d.advanceWallClock(Duration.ofSeconds(5));

        assertThat(d.donations)
                .extracting(Donation::getDonationId, Donation::getStatus)
                .containsExactly(
                        tuple("don:prog-1:p-1:1", DonationStatus.TRIGGERED),
                        tuple("don:prog-1:p-2:1", DonationStatus.TRIGGERED),
                        tuple("don:prog-1:p-3:1", DonationStatus.DEFERRED),
                        tuple("don:prog-1:p-1:2", DonationStatus.DEFERRED));
        assertThat(account().made()).isEqualTo(2);
        assertThat(account().deferred()).isEqualTo(2);
    }

    @Test
    void aBudgetLoweredBelowWhatWasMadeTakesNothingBackAndDefersTheRest() {
        d.program(program(3).build());
        d.profile("p-1", "UTC").profile("p-2", "UTC");
        goalDay("p-1", "2026-11-18", T0);
        goalDay("p-2", "2026-11-18", T0.plusSeconds(1));
        d.program(program(1).setUpdatedAt(T0.plusSeconds(2)).build());
        goalDay("p-1", "2026-11-19", T0.plusSeconds(3));

        assertThat(d.donations)
                .extracting(Donation::getStatus)
                .containsExactly(DonationStatus.TRIGGERED, DonationStatus.TRIGGERED, DonationStatus.DEFERRED);
        assertThat(account().budget()).isEqualTo(1);
        assertThat(account().remaining()).isZero();
    }

    @Test
    void raisingTheBudgetReleasesDeferredDonationsOldestFirst() {
        d.program(program(1).build());
        d.profile("p-1", "UTC").profile("p-2", "UTC").profile("p-3", "UTC");
        goalDay("p-1", "2026-11-18", T0);
        goalDay("p-2", "2026-11-18", T0.plusSeconds(1));
        goalDay("p-3", "2026-11-18", T0.plusSeconds(2));
        assertThat(d.donations)
                .extracting(Donation::getStatus)
                .containsExactly(DonationStatus.TRIGGERED, DonationStatus.DEFERRED, DonationStatus.DEFERRED);

        // the sponsor adds one donation: the oldest deferred one (p-2's) is released on the next budget check
        d.program(program(2).setUpdatedAt(T0.plusSeconds(10)).build());
        d.advanceWallClock(Duration.ofSeconds(2));
        assertThat(d.donations.subList(3, d.donations.size()))
                .extracting(Donation::getDonationId, Donation::getStatus)
                .containsExactly(tuple("don:prog-1:p-2:1", DonationStatus.RELEASED));
        Donation released = d.donations.get(3);
        assertThat(released.getTriggeredAt())
                .as("when the threshold was passed")
                .isEqualTo(T0.plusSeconds(1));
        assertThat(released.getDecidedAt()).isAfter(released.getTriggeredAt());

        // one more: a new threshold arriving before the budget check must not overtake p-3's deferred donation
        d.program(program(4).setUpdatedAt(T0.plusSeconds(20)).build());
        goalDay("p-1", "2026-11-19", T0.plusSeconds(30));
        assertThat(d.donations.subList(4, d.donations.size()))
                .extracting(Donation::getDonationId, Donation::getStatus)
                .containsExactly(
                        tuple("don:prog-1:p-3:1", DonationStatus.RELEASED),
                        tuple("don:prog-1:p-1:2", DonationStatus.TRIGGERED));
        assertThat(account().made()).isEqualTo(4);
        assertThat(account().deferred()).isZero();
        assertThat(account().byBeneficiary()).containsEntry("children", 4L);

        // checks with nothing to do emit nothing
        d.advanceWallClock(Duration.ofSeconds(5));
        assertThat(d.donations).hasSize(6);
    }

    @Test
    void twoParticipantsCrossingAtTheSameTimeForTheLastDonation() {
        d.program(program(1).build());
        d.profile("p-1", "UTC").profile("p-2", "UTC");
        // both thresholds at the same instant: the ledger decides them one after the other, never both
        goalDay("p-1", "2026-11-18", T0);
        goalDay("p-2", "2026-11-18", T0);

        assertThat(d.donations)
                .extracting(Donation::getStatus)
                .containsExactlyInAnyOrder(DonationStatus.TRIGGERED, DonationStatus.DEFERRED);
        assertThat(d.donations)
                .extracting(Donation::getDonationId)
                .containsExactlyInAnyOrder("don:prog-1:p-1:1", "don:prog-1:p-2:1");
        assertThat(account().made()).isEqualTo(1);
    }

    @Test
    void thePerParticipantCapStopsFurtherDonationsButNotOthers() {
        d.program(program(1000).setMaxDonationsPerParticipant(2).build());
        d.profile("p-1", "UTC").profile("p-2", "UTC");
        for (String date : new String[] {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"}) {
            goalDay("p-1", date, T0);
        }
        goalDay("p-2", "2026-11-19", T0);

        assertThat(d.donations)
                .extracting(Donation::getDonationId)
                .containsExactly("don:prog-1:p-1:1", "don:prog-1:p-1:2", "don:prog-1:p-2:1");
        assertThat(account().capped())
                .as("p-1's thresholds 3.. (the streak milestone adds more)")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void teamStepsTriggerTeamDonationsForTheTeamsBeneficiary() {
        d.program(program(1000)
                .setPointsPerDonation(0)
                .setTeamStepsPerDonation(10_000)
                .build());
        d.team(Team.newBuilder()
                .setTeamId("team-1")
                .setProgramId(P)
                .setBeneficiary(Beneficiary.seniors)
                .setUpdatedAt(T0.minusSeconds(60))
                .build());
        d.profile("p-1", "UTC").profile("p-2", "UTC");
        goalDay("p-1", "2026-11-18", T0); // 8,000
        d.advanceWallClock(Duration.ofSeconds(2));
        assertThat(d.donations).isEmpty();
        goalDay("p-2", "2026-11-18", T0.plusSeconds(5)); // 16,000
        goalDay("p-2", "2026-11-19", T0.plusSeconds(6)); // 24,000
        d.advanceWallClock(Duration.ofSeconds(2));

        assertThat(d.donations)
                .extracting(
                        Donation::getDonationId,
                        Donation::getTeamId,
                        Donation::getParticipantId,
                        Donation::getBeneficiary,
                        Donation::getStatus)
                .containsExactly(
                        tuple(
                                "don:prog-1:team:team-1:1",
                                "team-1",
                                null,
                                Beneficiary.seniors,
                                DonationStatus.TRIGGERED),
                        tuple(
                                "don:prog-1:team:team-1:2",
                                "team-1",
                                null,
                                Beneficiary.seniors,
                                DonationStatus.TRIGGERED));
        assertThat(d.<IssuerLedger>store(EngagementStores.DONATION_ISSUERS)
                        .get(DonationLedger.issuerKey(P, "team:team-1"))
                        .teamSteps())
                .isEqualTo(24_000);
    }

    @Test
    void aTeamWithoutBeneficiaryDonatesToTheProgrammesDefault() {
        d.program(program(1000)
                .setPointsPerDonation(0)
                .setTeamStepsPerDonation(5_000)
                .setDefaultBeneficiary(Beneficiary.homeless)
                .build());
        d.profile("p-1", "UTC");
        goalDay("p-1", "2026-11-18", T0);
        d.advanceWallClock(Duration.ofSeconds(2));
        assertThat(d.donations)
                .extracting(Donation::getDonationId, Donation::getBeneficiary)
                .containsExactly(tuple("don:prog-1:team:team-1:1", Beneficiary.homeless));
    }

    @Test
    void erasureKeepsEmittedDonationsAndStopsNewOnes() {
        // docs/rules.md: already-emitted donation events stay (sponsor ledger); an erased participant gets no new
        // outputs
        d.program(program(1000).build());
        d.profile("p-1", "UTC");
        goalDay("p-1", "2026-11-18", T0);
        assertThat(d.donations).extracting(Donation::getDonationId).containsExactly("don:prog-1:p-1:1");

        d.erase("p-1", T0.plusSeconds(10));
        goalDay("p-1", "2026-11-19", T0.plusSeconds(20));
        d.advanceWallClock(Duration.ofSeconds(5));

        assertThat(d.donations).extracting(Donation::getDonationId).containsExactly("don:prog-1:p-1:1");
        assertThat(account().made()).as("the sponsor ledger still counts it").isEqualTo(1);
    }
}
