package io.engage.streams.social;

import io.engage.avro.Cheer;
import io.engage.avro.PointsReason;
import io.engage.streams.EngagementOutput;
import io.engage.streams.activity.LocalDay;
import io.engage.streams.engagement.EventIds;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.points.PointsLedger;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The cheer rules (docs/social.md) as a pure function, decided on the giver's side: a cheer between two participants
 * who both consent and have social features on counts once per cheer id; it counts for the recipient's local day, and
 * the giver earns the programme's {@code cheerGiven} points for at most {@code maxCheersPerDay} cheers of their own
 * local day. No clock: "now" is when the cheer was received.
 */
public final class CheerRules {
    private CheerRules() {}

    /** What the rules read of the giver's state. */
    public interface GiverState {
        /** Whether the giver's cheer {@code cheerId} was already counted. */
        boolean counted(String cheerId);

        /** How many of the giver's cheers of local date {@code date} were counted. */
        int countedOn(LocalDate date);

        /** The giver's points, or null when none yet. */
        PointsBalance points();
    }

    /**
     * A cheer and what it is judged against.
     *
     * @param giver       the giver's profile, or null (unknown or erased)
     * @param recipient   the recipient's profile, or null
     * @param program     the giver's programme rules
     * @param receivedAt  when the cheer was received (its record time)
     * @param lateHorizon how old a cheer may be
     * @param skew        how far in the future a cheer's time may be (clock skew)
     */
    public record Input(
            Cheer cheer,
            ProfileView giver,
            ProfileView recipient,
            ProgramRules program,
            Instant receivedAt,
            Duration lateHorizon,
            Duration skew) {}

    /**
     * What a cheer changes.
     *
     * @param giverDate     the giver's local date of the cheer (null when dropped before it mattered)
     * @param countedOnDate the giver's new count of counted cheers of that date (0 when dropped)
     * @param points        the giver's new balance, or null when unchanged
     * @param outputs       the points award and donation intents of the giver, then the recipient's received cheer
     */
    public record Decision(
            CheerOutcome outcome,
            LocalDate giverDate,
            int countedOnDate,
            PointsBalance points,
            List<EngagementOutput> outputs) {
        static Decision dropped(CheerOutcome why) {
            return new Decision(why, null, 0, null, List.of());
        }
    }

    public static Decision decide(GiverState state, Input in) {
        Cheer c = in.cheer();
        ProfileView giver = in.giver();
        ProfileView recipient = in.recipient();
        if (giver == null || recipient == null) {
            return Decision.dropped(CheerOutcome.UNKNOWN_PARTICIPANT);
        }
        if (!giver.consent() || !recipient.consent()) {
            return Decision.dropped(CheerOutcome.NO_CONSENT);
        }
        if (!giver.socialEnabled() || !recipient.socialEnabled()) {
            return Decision.dropped(CheerOutcome.SOCIAL_DISABLED);
        }
        if (c.getFrom().equals(c.getTo())) {
            return Decision.dropped(CheerOutcome.SELF);
        }
        Instant at = c.getAt();
        if (at.isBefore(in.receivedAt().minus(in.lateHorizon()))) {
            return Decision.dropped(CheerOutcome.TOO_LATE);
        }
        if (at.isAfter(in.receivedAt().plus(in.skew()))) {
            return Decision.dropped(CheerOutcome.FUTURE);
        }
        if (state.counted(c.getCheerId())) {
            return Decision.dropped(CheerOutcome.DUPLICATE);
        }
        LocalDate giverDate = LocalDay.dateOf(at, zoneOf(giver));
        int before = state.countedOn(giverDate);
        List<EngagementOutput> outputs = new ArrayList<>(3);
        PointsBalance points = null;
        if (before < in.program().maxCheersPerDay()) {
            PointsBalance balance = state.points();
            PointsLedger.Awarded awarded = PointsLedger.awardWithThresholds(
                    balance == null ? PointsBalance.ZERO : balance,
                    EventIds.cheerPoints(giver.participantId(), c.getCheerId()),
                    giver,
                    in.program(),
                    PointsReason.CHEER_GIVEN,
                    in.program().cheerGivenPoints(),
                    giverDate,
                    c.getCheerId(),
                    in.receivedAt());
            if (!awarded.outputs().isEmpty()) {
                outputs.addAll(awarded.outputs());
                points = awarded.balance();
            }
        }
        outputs.add(
                new EngagementOutput.CheerReceived(recipient.participantId(), LocalDay.dateOf(at, zoneOf(recipient))));
        return new Decision(CheerOutcome.COUNTED, giverDate, before + 1, points, outputs);
    }

    /** A participant's zone: the profile's, else UTC. */
    static ZoneId zoneOf(ProfileView p) {
        return p.zone().orElse(ZoneOffset.UTC);
    }
}
