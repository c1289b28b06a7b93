package io.engage.streams;

import io.engage.avro.DailyActivity;
import io.engage.avro.GoalAchieved;
import io.engage.avro.ParticipantDay;
import io.engage.avro.PointsAwarded;
import io.engage.avro.StreakEvent;

/** What the engagement processors emit, routed to its topic by {@link EngagementTopology}. */
public sealed interface EngagementOutput {
    /** An update of {@code activity.daily} (a null value is a tombstone). */
    record Daily(ParticipantDay key, DailyActivity value) implements EngagementOutput {
    }

    /** A goal reached, for {@code goals.achieved}. */
    record Goal(GoalAchieved event) implements EngagementOutput {
    }

    /** A streak event, for {@code streaks}. */
    record Streak(StreakEvent event) implements EngagementOutput {
    }

    /** A fact for the programme's donation ledger (re-keyed by programme). */
    record Intent(io.engage.streams.philanthropy.DonationIntent intent) implements EngagementOutput {
    }

    /** A points award, for {@code engagement.points}. */
    record Points(PointsAwarded award) implements EngagementOutput {
    }
}
