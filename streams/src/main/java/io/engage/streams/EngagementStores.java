package io.engage.streams;

import io.engage.streams.activity.DayState;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.coaching.NudgeDue;
import io.engage.streams.coaching.NudgeRecord;
import io.engage.streams.engagement.AwaitedReading;
import io.engage.streams.philanthropy.DeferredDonation;
import io.engage.streams.philanthropy.IssuerLedger;
import io.engage.streams.philanthropy.ProgramLedger;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.reference.TeamView;
import io.engage.streams.social.ParticipantWeek;
import io.engage.streams.state.DecodedCacheStore;
import io.engage.streams.state.StoreKeys;
import io.engage.streams.streaks.StreakBook;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The engagement topology's state stores: names (for interactive queries) and builders. Every key is a string with
 * the participant id first ({@link io.engage.streams.state.StoreKeys}), except the programmes and teams (their ids),
 * the team steps, donation ledger, rankings and team standings (programme id first) and the expiry index (time
 * first).
 */
public final class EngagementStores {
    /**
     * Global: participant id to {@link ProfileView} (from {@code participants}; deleted by a tombstone). Global, so
     * that the engagement task reads no profile partition and a cheer's recipient is known on the giver's task
     * (docs/rules.md, "Profiles, consent and erasure").
     */
    public static final String PROFILES = "engagement-profiles";
    /** Global: programme id to {@link ProgramRules} (from {@code programs}). */
    public static final String PROGRAMS = "engagement-programs";
    /**
     * {@code participant NUL utcHour} ({@link StoreKeys#bucket}) to {@link HourBucket}: the readings starting in that
     * UTC hour and the per-device values of the local hours starting in it; expires a UTC date at a time.
     */
    public static final String BUCKETS = "engagement-buckets";
    /** {@code participant NUL date} to {@link DayState}; kept. */
    public static final String DAYS = "engagement-days";
    /** Participant id to {@link StreakBook} (goal days and milestone awards); kept. */
    public static final String STREAKS = "engagement-streaks";
    /** Participant id to {@link PointsBalance}; kept. */
    public static final String POINTS = "engagement-points";
    /** Global: team id to {@link TeamView} (from {@code teams}). */
    public static final String TEAMS = "engagement-teams";
    /**
     * {@code programId NUL teamId NUL date} to the team's step change of that local date (whole steps, the sum of its
     * members' day changes) not yet sent to the team standings and the donation ledger (docs/social.md).
     */
    public static final String TEAM_STEPS = "engagement-team-steps";
    /** Donation ledger (partitioned by programme): programme id to {@link ProgramLedger}. */
    public static final String DONATION_ACCOUNTS = "engagement-donation-accounts";
    /** Donation ledger: {@code programId NUL participantId|team:teamId} to {@link IssuerLedger}. */
    public static final String DONATION_ISSUERS = "engagement-donation-issuers";
    /** Donation ledger: {@code programId NUL order} to a {@link DeferredDonation}, oldest first. */
    public static final String DONATION_DEFERRED = "engagement-donation-deferred";
    /**
     * {@code participant NUL sourceOffset} (16 hex digits) to an {@link AwaitedReading}: readings whose participant's
     * profile has not reached this instance yet; normally empty.
     */
    public static final String AWAITING_PROFILE = "engagement-awaiting-profile";
    /**
     * {@code dueMillis NUL participant} (16 hex digits) to the participant's next timed nudge ({@link NudgeDue}): one
     * entry per participant in coaching, read from the first key up to now (docs/coaching.md).
     */
    public static final String NUDGE_SCHEDULE = "engagement-nudge-schedule";
    /**
     * {@code participant NUL date NUL dueMillis NUL type NUL slot} to what became of that due nudge ({@link
     * NudgeRecord}: sent, or held back with the reason).
     */
    public static final String NUDGES = "engagement-nudges";
    /**
     * Participant id to the time of an erasure request waiting for this instance's profile store to drop the profile
     * (docs/privacy.md); normally empty, an entry lives for moments.
     */
    public static final String ERASURES = "engagement-erasures";
    /** {@code expiresAtMillis NUL kind NUL participant NUL utcEpochDay} to nothing: which buckets expire when. */
    public static final String EXPIRY = "engagement-expiry";

    /**
     * {@code participant NUL date} to nothing: the local days whose steps changed since the standings last took them
     * (once a second, docs/social.md); normally small.
     */
    public static final String CHANGED_DAYS = "social-changed-days";
    /**
     * {@code participant NUL monday} to the participant's {@link ParticipantWeek}: the steps of each local date of that
     * ISO week (docs/social.md); kept, like the days.
     */
    public static final String STANDINGS = "social-standings";
    /**
     * {@code programme NUL d|w NUL periodStart NUL invertedSteps NUL participant} to nothing: the participants'
     * places on their programme's leaderboards, best first (this task's participants only).
     */
    public static final String RANKING = "social-ranking";
    /** Team standings (partitioned by programme): {@code programme NUL d|w NUL periodStart NUL team} to steps. */
    public static final String TEAM_STANDINGS = "social-team-standings";
    /** Team standings: {@code programme NUL d|w NUL periodStart NUL invertedSteps NUL team} to nothing. */
    public static final String TEAM_RANKING = "social-team-ranking";
    /**
     * {@code giver NUL digest(cheerId)} to nothing: the giver's counted cheers (ids as digests, since a cheer id names its
     * recipient), until they pass the late horizon.
     */
    public static final String CHEERS_SEEN = "social-cheers-seen";
    /** {@code giver NUL date} to how many of the giver's cheers of that local date were counted. */
    public static final String CHEERS_GIVEN = "social-cheers-given";
    /** Partitioned by recipient: {@code participant NUL date} to the cheers the participant received that day. */
    public static final String CHEERS_RECEIVED = "social-cheers-received";

    /** Where the stores keep their data. */
    public enum Kind {
        /** RocksDB under the state directory, with changelogs: what a running application uses. */
        PERSISTENT,
        /** On the heap, with changelogs: for short-lived runs (tests, what-if replays). */
        IN_MEMORY
    }

    private EngagementStores() {}

    static StoreBuilder<KeyValueStore<String, ProfileView>> profiles(Kind kind) {
        // a global store is restored from its topic: no changelog of its own
        return store(kind, PROFILES, ProfileView.serde()).withLoggingDisabled().withCachingDisabled();
    }

    static StoreBuilder<KeyValueStore<String, AwaitedReading>> awaitingProfile(Kind kind) {
        return store(kind, AWAITING_PROFILE, AwaitedReading.serde());
    }

    static StoreBuilder<KeyValueStore<String, ProgramRules>> programs(Kind kind) {
        // a global store is restored from its topic through ReferenceStoreUpdater: no changelog of its own
        return store(kind, PROGRAMS, ProgramRules.serde()).withLoggingDisabled().withCachingDisabled();
    }

    static StoreBuilder<KeyValueStore<String, TeamView>> teams(Kind kind) {
        return store(kind, TEAMS, TeamView.serde()).withLoggingDisabled().withCachingDisabled();
    }

    static StoreBuilder<KeyValueStore<String, Long>> teamSteps(Kind kind) {
        return store(kind, TEAM_STEPS, Serdes.Long());
    }

    static StoreBuilder<KeyValueStore<String, ProgramLedger>> donationAccounts(Kind kind) {
        return store(kind, DONATION_ACCOUNTS, ProgramLedger.serde());
    }

    static StoreBuilder<KeyValueStore<String, IssuerLedger>> donationIssuers(Kind kind) {
        return store(kind, DONATION_ISSUERS, IssuerLedger.serde());
    }

    static StoreBuilder<KeyValueStore<String, DeferredDonation>> donationDeferred(Kind kind) {
        return store(kind, DONATION_DEFERRED, DeferredDonation.serde());
    }

    static StoreBuilder<KeyValueStore<String, HourBucket>> buckets(Kind kind) {
        return decoded(kind, BUCKETS, HourBucket.serde());
    }

    static StoreBuilder<KeyValueStore<String, DayState>> days(Kind kind) {
        return decoded(kind, DAYS, DayState.serde());
    }

    static StoreBuilder<KeyValueStore<String, StreakBook>> streaks(Kind kind) {
        return store(kind, STREAKS, StreakBook.serde());
    }

    static StoreBuilder<KeyValueStore<String, PointsBalance>> points(Kind kind) {
        return store(kind, POINTS, PointsBalance.serde());
    }

    static StoreBuilder<KeyValueStore<String, NudgeDue>> nudgeSchedule(Kind kind) {
        return store(kind, NUDGE_SCHEDULE, NudgeDue.serde());
    }

    static StoreBuilder<KeyValueStore<String, NudgeRecord>> nudges(Kind kind) {
        return store(kind, NUDGES, NudgeRecord.serde());
    }

    static StoreBuilder<KeyValueStore<String, ParticipantWeek>> standings(Kind kind) {
        return store(kind, STANDINGS, ParticipantWeek.serde());
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> changedDays(Kind kind) {
        return decoded(kind, CHANGED_DAYS, Serdes.ByteArray());
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> ranking(Kind kind) {
        return store(kind, RANKING, Serdes.ByteArray());
    }

    static StoreBuilder<KeyValueStore<String, Long>> teamStandings(Kind kind) {
        return store(kind, TEAM_STANDINGS, Serdes.Long());
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> teamRanking(Kind kind) {
        return store(kind, TEAM_RANKING, Serdes.ByteArray());
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> cheersSeen(Kind kind) {
        return store(kind, CHEERS_SEEN, Serdes.ByteArray());
    }

    static StoreBuilder<KeyValueStore<String, Long>> cheersGiven(Kind kind) {
        return store(kind, CHEERS_GIVEN, Serdes.Long());
    }

    static StoreBuilder<KeyValueStore<String, Long>> cheersReceived(Kind kind) {
        return store(kind, CHEERS_RECEIVED, Serdes.Long());
    }

    static StoreBuilder<KeyValueStore<String, Long>> erasures(Kind kind) {
        return store(kind, ERASURES, Serdes.Long());
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> expiry(Kind kind) {
        return store(kind, EXPIRY, Serdes.ByteArray());
    }

    /**
     * How many decoded entries each generation of a {@link DecodedCacheStore} keeps per store and task after a commit
     * (two generations: the entries used since the last turn stay). At a few kilobytes per hour bucket this bounds the
     * heap to some tens of megabytes per store and stream thread with six tasks; beyond it, entries are read again
     * from RocksDB.
     */
    static final int DECODED_ENTRIES = 4_096;

    /**
     * A store read and written per reading: decoded values on the heap in front of the store, written to RocksDB and
     * the changelog once per key and commit ({@link DecodedCacheStore}, docs/rules.md "Stored state").
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> decoded(Kind kind, String name, Serde<V> values) {
        return DecodedCacheStore.builder(store(kind, name, values), DECODED_ENTRIES);
    }

    /**
     * A store with a record cache in front (docs/rules.md, "Stored state"): reads of what a commit interval already
     * touched come from the heap, and repeated writes of one key within a commit interval reach RocksDB and the
     * changelog once, at the commit (Kafka Streams flushes the cache before it commits, so this holds under
     * exactly-once too). Global stores are restored from their own topic and get no cache.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(Kind kind, String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(
                        kind == Kind.PERSISTENT
                                ? Stores.persistentKeyValueStore(name)
                                : Stores.inMemoryKeyValueStore(name),
                        Serdes.String(),
                        values)
                .withCachingEnabled();
    }
}
