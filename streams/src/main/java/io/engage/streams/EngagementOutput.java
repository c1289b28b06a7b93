package io.engage.streams;

import io.engage.avro.DailyActivity;
import io.engage.avro.GoalAchieved;
import io.engage.avro.ParticipantDay;
import io.engage.avro.PointsAwarded;
import io.engage.avro.StreakEvent;
import io.engage.streams.activity.DayState;
import java.time.LocalDate;

/** What the engagement processors emit, routed to its topic by {@link EngagementTopology}. */
public sealed interface EngagementOutput {
    /**
     * A changed local day, for {@code activity.daily} (its record is built when it is sent); {@code day} null: the
     * day's tombstone (the participant was erased).
     */
    record Daily(String participantId, LocalDate date, DayState day) implements EngagementOutput {
        public ParticipantDay key() {
            return new ParticipantDay(participantId, date);
        }

        public DailyActivity value() {
            return day == null ? null : day.toAvro(participantId, date);
        }
    }

    /** A goal reached, for {@code goals.achieved}. */
    record Goal(GoalAchieved event) implements EngagementOutput {}

    /** A streak event, for {@code streaks}. */
    record Streak(StreakEvent event) implements EngagementOutput {}

    /** A fact for the programme's donation ledger (re-keyed by programme). */
    record Intent(io.engage.streams.philanthropy.DonationIntent intent) implements EngagementOutput {}

    /** A coaching nudge to send, for {@code coaching.nudges}. */
    record Nudge(io.engage.avro.Nudge nudge) implements EngagementOutput {}

    /** A points award, for {@code engagement.points}. */
    record Points(PointsAwarded award) implements EngagementOutput {}

    /** A participant's or team's standing, for {@code standings}; {@code standing} null: the key's tombstone. */
    record Standing(io.engage.avro.StandingKey key, io.engage.avro.Standing standing) implements EngagementOutput {}

    /** A team's step change of one local date, for the team standings (re-keyed by programme). */
    record TeamDay(io.engage.streams.social.TeamDaySteps steps) implements EngagementOutput {}

    /**
     * A counted cheer, for the recipient's received cheers of a local date (re-keyed by recipient); {@code date} null:
     * the recipient was erased, their received cheers are forgotten.
     */
    record CheerReceived(String recipientId, LocalDate date) implements EngagementOutput {}
}
