package io.engage.streams.points;

import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import io.engage.streams.EngagementOutput;
import io.engage.streams.philanthropy.DonationIntent;
import io.engage.streams.philanthropy.DonationThresholds;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Point awards (docs/rules.md, "Points"): ids come from {@link io.engage.streams.engagement.EventIds}, so the same
 * achievement always gives the same award id and a consumer (and the donation step) can ignore an id it has seen. A
 * participant's total is the sum of their awards.
 */
public final class PointsLedger {
    private PointsLedger() {}

    /** One award. */
    public static PointsAwarded award(
            String awardId,
            String participantId,
            String programId,
            PointsReason reason,
            int points,
            LocalDate date,
            String sourceEventId,
            Instant at) {
        return PointsAwarded.newBuilder()
                .setAwardId(awardId)
                .setParticipantId(participantId)
                .setProgramId(programId)
                .setReason(reason)
                .setPoints(points)
                .setDate(date)
                .setSourceEventId(sourceEventId)
                .setAt(at)
                .build();
    }

    /** A participant's balance after an award, and what to emit: the award, then an intent per threshold passed. */
    public record Awarded(PointsBalance balance, List<EngagementOutput> outputs) {}

    /**
     * Awards {@code amount} points to the participant of {@code profile} (nothing for a rule worth zero points): the
     * award event and a donation intent for each of the programme's points thresholds the new total passes for the
     * first time (docs/philanthropy.md).
     */
    public static Awarded awardWithThresholds(
            PointsBalance before,
            String awardId,
            ProfileView profile,
            ProgramRules program,
            PointsReason reason,
            int amount,
            LocalDate date,
            String sourceEventId,
            Instant at) {
        if (amount == 0) {
            return new Awarded(before, List.of());
        }
        String pid = profile.participantId();
        PointsBalance balance = before.plus(amount);
        List<EngagementOutput> outputs = new ArrayList<>(2);
        outputs.add(new EngagementOutput.Points(
                award(awardId, pid, profile.programId(), reason, amount, date, sourceEventId, at)));
        long passed = DonationThresholds.passed(balance.total(), program.pointsPerDonation());
        for (long n = balance.donationThresholds() + 1; n <= passed; n++) {
            outputs.add(new EngagementOutput.Intent(
                    DonationIntent.participant(profile.programId(), pid, n, profile.beneficiary(), at)));
        }
        return new Awarded(balance.withDonationThresholds(Math.max(passed, balance.donationThresholds())), outputs);
    }
}
