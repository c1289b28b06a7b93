package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Beneficiary;
import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/replay.md, "What the columns count": the tally both columns of {@code replay what-if} use. */
class WhatIfTallyTest {
    private static final LocalDate FROM = LocalDate.parse("2026-11-01");
    private static final LocalDate TO = LocalDate.parse("2026-11-07");
    private static final Map<String, ZoneId> ZONES = Map.of("p1", ZoneId.of("Pacific/Kiritimati"));

    private final WhatIfTally tally = new WhatIfTally("prog", FROM, TO, ZONES::get);

    @Test
    void goalDaysAreCountedOncePerEventWithinTheRangeAndProgramme() {
        tally.goal(goal("p1", "prog", "2026-11-01", Metric.steps));
        tally.goal(goal("p1", "prog", "2026-11-01", Metric.steps)); // read twice: one goal day
        tally.goal(goal("p1", "prog", "2026-11-07", Metric.active_minutes));
        tally.goal(goal("p2", "prog", "2026-11-08", Metric.steps)); // after --to
        tally.goal(goal("p2", "prog", "2026-10-31", Metric.steps)); // before --from
        tally.goal(goal("p3", "other", "2026-11-02", Metric.steps)); // another programme

        WhatIfTally.Figures f = tally.figures(10);
        assertThat(f.stepGoalDays()).isEqualTo(1);
        assertThat(f.activeMinutesGoalDays()).isEqualTo(1);
    }

    @Test
    void pointsAreSummedOncePerAwardByTheirDate() {
        tally.points(points("a1", "prog", "2026-11-03", 10));
        tally.points(points("a1", "prog", "2026-11-03", 10));
        tally.points(points("a2", "prog", "2026-11-04", 25));
        tally.points(points("a3", "prog", "2026-11-09", 100));
        tally.points(points("a4", "other", "2026-11-04", 100));

        assertThat(tally.figures(10).points()).isEqualTo(35);
    }

    @Test
    void aDonationCountsWithItsLastStatusAndAMadeOneStaysMade() {
        Instant inRange = Instant.parse("2026-11-03T12:00:00Z");
        tally.donation(donation("d1", "p1", DonationStatus.DEFERRED, Beneficiary.children, inRange));
        tally.donation(donation("d1", "p1", DonationStatus.RELEASED, Beneficiary.children, inRange));
        tally.donation(donation("d1", "p1", DonationStatus.DEFERRED, Beneficiary.children, inRange)); // replayed
        tally.donation(donation("d2", "p2", DonationStatus.TRIGGERED, Beneficiary.seniors, inRange));
        tally.donation(donation("d3", "p2", DonationStatus.TRIGGERED, Beneficiary.seniors, inRange));
        tally.donation(donation("d4", "p4", DonationStatus.DEFERRED, Beneficiary.veterans, inRange));
        tally.donation(donation("d5", null, DonationStatus.TRIGGERED, Beneficiary.homeless, inRange)); // a team's

        WhatIfTally.Figures f = tally.figures(100);
        assertThat(f.donationsMade()).isEqualTo(4);
        assertThat(f.donationsDeferred()).isEqualTo(1);
        assertThat(f.madeByBeneficiary())
                .containsExactly(Map.entry("children", 1L), Map.entry("homeless", 1L), Map.entry("seniors", 2L));
        assertThat(f.participantsWithDonation()).as("p1 and p2").isEqualTo(2);
        assertThat(f.budget()).isEqualTo(100);
    }

    @Test
    void aDonationIsDatedByItsTriggerTimeInTheParticipantsZone() {
        // 2026-11-07T11:00Z is 2026-11-08 01:00 in Kiritimati (UTC+14): after --to for p1, not for p2 (UTC)
        Instant late = Instant.parse("2026-11-07T11:00:00Z");
        tally.donation(donation("d1", "p1", DonationStatus.TRIGGERED, Beneficiary.children, late));
        tally.donation(donation("d2", "p2", DonationStatus.TRIGGERED, Beneficiary.children, late));

        assertThat(tally.figures(10).donationsMade()).isEqualTo(1);
        assertThat(tally.figures(10).participantsWithDonation()).isEqualTo(1);
    }

    @Test
    void theReportShowsBothColumnsAndTheDifference() {
        WhatIfTally.Figures actual =
                new WhatIfTally.Figures(120, 80, 2_300, 23, 2, Map.of("children", 20L, "seniors", 3L), 19, 1_000);
        WhatIfTally.Figures whatIf = new WhatIfTally.Figures(90, 80, 1_900, 19, 0, Map.of("children", 19L), 16, 1_000);
        WhatIfReport report = new WhatIfReport("prog", FROM, TO, "rules.json", actual, whatIf);

        assertThat(report.text())
                .contains("what-if for programme prog, local days 2026-11-01 to 2026-11-07, rules from rules.json")
                .containsPattern("step-goal days +120 +90 +-30")
                .containsPattern("active-minutes-goal days +80 +80 +0")
                .containsPattern("points +2,300 +1,900 +-400")
                .containsPattern("  for seniors +3 +0 +-3")
                .containsPattern("participants with a donation +19 +16 +-3")
                .containsPattern("budget used +2\\.3% +1\\.9%");
        assertThat(report.json())
                .contains("\"whatIf\"")
                .contains("\"stepGoalDays\" : 90")
                .contains("\"donationsByBeneficiary\" : {");
    }

    private static GoalAchieved goal(String participant, String program, String date, Metric metric) {
        return GoalAchieved.newBuilder()
                .setEventId("goal:" + participant + ":" + date + ":" + metric)
                .setParticipantId(participant)
                .setProgramId(program)
                .setDate(LocalDate.parse(date))
                .setMetric(metric)
                .setGoal(7000)
                .setTotalAtCrossing(7100)
                .setLate(false)
                .setAt(Instant.parse(date + "T20:00:00Z"))
                .build();
    }

    private static PointsAwarded points(String id, String program, String date, int points) {
        return PointsAwarded.newBuilder()
                .setAwardId(id)
                .setParticipantId("p1")
                .setProgramId(program)
                .setReason(PointsReason.STEP_GOAL)
                .setPoints(points)
                .setDate(LocalDate.parse(date))
                .setSourceEventId("goal:" + id)
                .setAt(Instant.parse(date + "T20:00:00Z"))
                .build();
    }

    private static Donation donation(
            String id, String participant, DonationStatus status, Beneficiary beneficiary, Instant at) {
        return Donation.newBuilder()
                .setDonationId(id)
                .setProgramId("prog")
                .setParticipantId(participant)
                .setTeamId(participant == null ? "team-1" : null)
                .setSequence(1)
                .setStatus(status)
                .setBeneficiary(beneficiary)
                .setItem("eye exam and glasses")
                .setTriggeredAt(at)
                .setDecidedAt(at)
                .build();
    }
}
