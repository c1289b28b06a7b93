package io.engage.schemas.topics;

import io.engage.avro.Cheer;
import io.engage.avro.DailyActivity;
import io.engage.avro.Device;
import io.engage.avro.Donation;
import io.engage.avro.GoalAchieved;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Nudge;
import io.engage.avro.Participant;
import io.engage.avro.ParticipantDay;
import io.engage.avro.ParticipantErasure;
import io.engage.avro.PointsAwarded;
import io.engage.avro.Program;
import io.engage.avro.RawReading;
import io.engage.avro.RejectedReading;
import io.engage.avro.Standing;
import io.engage.avro.StandingKey;
import io.engage.avro.StreakEvent;
import io.engage.avro.Team;
import java.time.Duration;
import java.util.List;

/**
 * The typed catalogue of every engage topic: the single source of truth that topologies, provisioning
 * ({@code ./engage topics create}), the docs table and deploy manifests read.
 *
 * <p>Everything keyed by participant id has the same partition count so it is co-partitioned.
 */
public final class Topics {
    static {
        io.engage.schemas.AvroTrust.install();
    }

    /** Partitions of every participant-keyed topic (co-partitioning requires one number). */
    public static final int PARTICIPANT_PARTITIONS = 6;

    private static final Duration DAY = Duration.ofDays(1);

    public static final TopicSpec<String, RawReading> READINGS_RAW = new TopicSpec<>(
            "readings.raw",
            String.class,
            RawReading.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(7),
            "Readings as gateways sent them; key: device id.");
    public static final TopicSpec<String, RejectedReading> READINGS_REJECTED = new TopicSpec<>(
            "readings.rejected",
            String.class,
            RejectedReading.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(35),
            "Dead letters with a reason code; key: device id.");
    public static final TopicSpec<String, NormalizedReading> READINGS_NORMALIZED = new TopicSpec<>(
            "readings.normalized",
            String.class,
            NormalizedReading.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(35),
            "Valid readings in canonical units; key: participant id.");
    public static final TopicSpec<String, Participant> PARTICIPANTS = new TopicSpec<>(
            "participants",
            String.class,
            Participant.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.COMPACT,
            null,
            "Participant profiles, consent and preferences; key: participant id; tombstone on erasure.");
    public static final TopicSpec<String, ParticipantErasure> PARTICIPANT_ERASURES = new TopicSpec<>(
            "participants.erasures",
            String.class,
            ParticipantErasure.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(35),
            "Erasure requests, each with the profile's tombstone; key: participant id.");
    public static final TopicSpec<String, Device> DEVICES = new TopicSpec<>(
            "devices",
            String.class,
            Device.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.COMPACT,
            null,
            "Device pairings; key: device id; tombstone unpairs.");
    public static final TopicSpec<String, Program> PROGRAMS = new TopicSpec<>(
            "programs",
            String.class,
            Program.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.COMPACT,
            null,
            "Programme rules; key: programme id.");
    public static final TopicSpec<String, Team> TEAMS = new TopicSpec<>(
            "teams", String.class, Team.class, PARTICIPANT_PARTITIONS, Cleanup.COMPACT, null, "Teams; key: team id.");
    public static final TopicSpec<String, Cheer> SOCIAL_CHEERS = new TopicSpec<>(
            "social.cheers",
            String.class,
            Cheer.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(35),
            "Cheers, likes and comments; key: giver participant id.");
    public static final TopicSpec<ParticipantDay, DailyActivity> ACTIVITY_DAILY = new TopicSpec<>(
            "activity.daily",
            ParticipantDay.class,
            DailyActivity.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.COMPACT,
            null,
            "A participant's local day: totals, heart rate, goals; key: (participant, date).");
    public static final TopicSpec<String, GoalAchieved> GOALS_ACHIEVED = new TopicSpec<>(
            "goals.achieved",
            String.class,
            GoalAchieved.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(35),
            "One event per (participant, date, metric) goal reached; key: participant id.");
    public static final TopicSpec<String, StreakEvent> STREAKS = new TopicSpec<>(
            "streaks",
            String.class,
            StreakEvent.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(35),
            "Streak changes and milestones; key: participant id.");
    public static final TopicSpec<String, PointsAwarded> ENGAGEMENT_POINTS = new TopicSpec<>(
            "engagement.points",
            String.class,
            PointsAwarded.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(35),
            "Point awards with deterministic ids; key: participant id.");
    public static final TopicSpec<String, Nudge> COACHING_NUDGES = new TopicSpec<>(
            "coaching.nudges",
            String.class,
            Nudge.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(7),
            "Coaching nudges to send; key: participant id.");
    public static final TopicSpec<String, Donation> DONATIONS = new TopicSpec<>(
            "donations",
            String.class,
            Donation.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.DELETE,
            DAY.multipliedBy(3650),
            "Donation decisions (the sponsor ledger); key: programme id.");
    public static final TopicSpec<StandingKey, Standing> STANDINGS = new TopicSpec<>(
            "standings",
            StandingKey.class,
            Standing.class,
            PARTICIPANT_PARTITIONS,
            Cleanup.COMPACT,
            null,
            "Participant and team steps per day and ISO week; key: (programme, scope, entity, period).");
    public static final TopicSpec<String, String> SCHEMAS = new TopicSpec<>(
            "_schemas",
            String.class,
            String.class,
            1,
            Cleanup.COMPACT,
            null,
            "Schema Registry storage (JSON keys and values, Confluent's layout).");

    private static final List<TopicSpec<?, ?>> ALL = List.of(
            READINGS_RAW,
            READINGS_REJECTED,
            READINGS_NORMALIZED,
            PARTICIPANTS,
            PARTICIPANT_ERASURES,
            DEVICES,
            PROGRAMS,
            TEAMS,
            SOCIAL_CHEERS,
            ACTIVITY_DAILY,
            GOALS_ACHIEVED,
            STREAKS,
            ENGAGEMENT_POINTS,
            COACHING_NUDGES,
            DONATIONS,
            STANDINGS,
            SCHEMAS);

    private Topics() {}

    /** Every topic, in data-flow order. */
    public static List<TopicSpec<?, ?>> all() {
        return ALL;
    }
}
