package io.engage.streams;

import io.engage.avro.Cheer;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Participant;
import io.engage.avro.ParticipantErasure;
import io.engage.avro.Program;
import io.engage.avro.Standing;
import io.engage.avro.StandingKey;
import io.engage.avro.Team;
import io.engage.config.EngageConfig;
import io.engage.processing.RecordDecoder;
import io.engage.processing.ReferenceStoreUpdater;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.streams.philanthropy.DonationIntent;
import io.engage.streams.philanthropy.DonationLedgerProcessor;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.reference.TeamView;
import io.engage.streams.social.TeamDaySteps;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The engagement topology (docs/rules.md): a participant's local days, goals, streaks and points from
 * {@code readings.normalized}, with the {@code participants} profiles and the {@code programs} rules.
 *
 * <pre>
 * programs            --> programs-source     --> [engagement-programs] (global)
 * participants        --> participants-source --> [engagement-profiles] (global)
 * readings.normalized, social.cheers, participants.erasures
 *                     --> readings-source, cheers-source, erasures-source (merged)
 *                                             --> activity [awaiting-profile, buckets, days, erasures,
 *                                                            streaks, points, team-steps,
 *                                                            expiry, nudge-schedule, nudges]  --> route-daily   --> activity.daily
 *                                                                                                 route-goals   --> goals.achieved
 *                                                                                                 route-streaks --> streaks
 *                                                                                                 route-points  --> engagement.points
 *                                                                                                 route-nudges  --> coaching.nudges
 *                                                                                                 route-intents --> (re-key by programme)
 * teams --> teams-source --> [engagement-teams] (global)                                                  |
 *                                        donation-intents-repartition --> donation-ledger [accounts, issuers, deferred] --> donations
 * </pre>
 *
 * Donations are decided per programme (docs/philanthropy.md): points thresholds (from the activity processor) and team
 * steps (flushed per team every second of wall-clock time) are re-keyed by programme id, so one task holds a
 * programme's whole account and the budget and caps are checked against one current count.
 *
 * The profiles are a global store, not a co-partitioned table, so that the engagement task reads no profile partition
 * (Kafka Streams pays a cost per record for every busy input of a task, docs/benchmarks.md) and a cheer can be judged
 * against the profiles of both its giver and its recipient; a reading whose profile has not reached this instance
 * yet waits for it (docs/rules.md, "Profiles, consent and erasure"). The task's two other inputs are rare:
 * {@code social.cheers} (keyed by the giver, docs/social.md) and {@code participants.erasures} (an erasure request,
 * carried out in every store of the task and sent on to the received cheers and the ledgers, docs/privacy.md).
 *
 * Inputs are read as bytes and decoded in the processors, so a bad record is logged and skipped (a bad profile
 * counts as deleted) and never stops the application. The per-reading rules read no clock: time is the record
 * timestamp (for {@code late}, {@code at}) and stream time (for expiry), so reprocessing gives the same outputs. Four
 * schedules use the wall clock. Three decide when something appears, not whether: the team-steps flush and the
 * ledger's budget check (once a second each), and the check of readings waiting for their profile (docs/rules.md: a
 * reading drops only if its profile has not arrived after a minute). The fourth, the coaching check (once a second,
 * docs/coaching.md), sends the nudges that are due by the wall clock, which is what a nudge is for. Changed days are
 * sent at each commit, from the days
 * store's record cache ({@link SentOnCommit}).
 */
public final class EngagementTopology {
    /** Appended to {@code application.id} for this topology's Kafka Streams application. */
    public static final String APPLICATION_ID_SUFFIX = "-engagement";

    public static final String READINGS_SOURCE = "readings-source";
    public static final String PARTICIPANTS_SOURCE = "participants-source";
    public static final String PROGRAMS_SOURCE = "programs-source";
    public static final String TEAMS_SOURCE = "teams-source";
    public static final String CHEERS_SOURCE = "cheers-source";
    public static final String ERASURES_SOURCE = "erasures-source";
    /** Name of the internal topic that re-keys team step changes by programme, and of the team standings processor. */
    public static final String TEAM_DAY_STEPS = "team-day-steps";
    /** The processor that keeps the team standings. */
    public static final String TEAM_STANDINGS = "team-standings";
    /** Name of the internal topic that re-keys counted cheers by recipient, and of the processor that counts them. */
    public static final String CHEERS_RECEIVED = "cheers-received";
    /** The donation ledger's processor, where every decision of a programme is made. */
    public static final String DONATION_LEDGER = "donation-ledger";
    /** Name of the internal topic that re-keys donation intents by programme ({@code <app id>-donation-intents-repartition}). */
    public static final String DONATION_INTENTS = "donation-intents";
    /** How often (wall clock) the ledger applies every programme's current budget, releasing deferred donations. */
    public static final Duration BUDGET_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** The global-store processor that keeps the programme rules. */
    public static final String PROGRAMS_PROCESSOR = "program-rules";
    /** The processor that counts readings. */
    public static final String ACTIVITY_PROCESSOR = "activity";

    public static final String ROUTE = "route-";

    /**
     * Kept beyond the late horizon before per-reading and per-hour state expires: a reading may last 24 hours (so its
     * first hour ends a day before its end) and its receipt time may be off by the clock-skew tolerance; one more hour
     * covers an hour cut by a daylight-saving change.
     */
    public static final Duration EXPIRY_MARGIN_BASE = Duration.ofHours(25);

    private EngagementTopology() {}

    /** The topology with serdes from the configuration's registry settings ({@code schema.registry.url}, ...). */
    public static Topology build(EngageConfig config) {
        return build(config, config.registryClientConfigs());
    }

    /** As {@link #build(EngageConfig)}, counting the nudges ({@code engage_nudges_total}) in {@code metrics}. */
    public static Topology build(EngageConfig config, MeterRegistry metrics) {
        return build(config, config.registryClientConfigs(), EngagementStores.Kind.PERSISTENT, metrics);
    }

    /** The topology with serdes configured by {@code serdeConfigs} (registry URL, serde settings), RocksDB stores. */
    public static Topology build(EngageConfig config, Map<String, ?> serdeConfigs) {
        return build(config, serdeConfigs, EngagementStores.Kind.PERSISTENT);
    }

    /** The topology with serdes configured by {@code serdeConfigs} and stores of the given kind. */
    public static Topology build(EngageConfig config, Map<String, ?> serdeConfigs, EngagementStores.Kind stores) {
        return build(config, serdeConfigs, stores, new SimpleMeterRegistry());
    }

    /** The topology with serdes configured by {@code serdeConfigs}, stores of the given kind, nudges counted. */
    public static Topology build(
            EngageConfig config, Map<String, ?> serdeConfigs, EngagementStores.Kind stores, MeterRegistry metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, config, new TopicSerdes(serdeConfigs), stores, metrics);
        return builder.build();
    }

    /** How long per-reading and per-hour state is kept after a reading's (or an hour's) end. */
    public static Duration retention(EngageConfig config) {
        return config.lateHorizon().plus(EXPIRY_MARGIN_BASE).plus(config.clockSkewTolerance());
    }

    /** Adds the engagement topology to {@code builder}: topic names from {@code topic.prefix}, RocksDB stores. */
    public static void addTo(StreamsBuilder builder, EngageConfig config, TopicSerdes serdes) {
        addTo(builder, config, serdes, EngagementStores.Kind.PERSISTENT);
    }

    /** Adds the engagement topology to {@code builder} with stores of the given kind. */
    public static void addTo(
            StreamsBuilder builder, EngageConfig config, TopicSerdes serdes, EngagementStores.Kind stores) {
        addTo(builder, config, serdes, stores, new SimpleMeterRegistry());
    }

    /** Adds the engagement topology to {@code builder}, counting the nudges in {@code metrics}. */
    public static void addTo(
            StreamsBuilder builder,
            EngageConfig config,
            TopicSerdes serdes,
            EngagementStores.Kind stores,
            MeterRegistry metrics) {
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        String programs = topics.name(Topics.PROGRAMS);
        String participants = topics.name(Topics.PARTICIPANTS);
        String normalized = topics.name(Topics.READINGS_NORMALIZED);

        RecordDecoder<Program> programDecoder =
                new RecordDecoder<>(serdes.valueSerde(Topics.PROGRAMS).deserializer(), programs);
        builder.addGlobalStore(
                EngagementStores.programs(stores),
                programs,
                bytes(PROGRAMS_SOURCE),
                () -> new ReferenceStoreUpdater<>(EngagementStores.PROGRAMS, programDecoder, ProgramRules::of));
        String teams = topics.name(Topics.TEAMS);
        RecordDecoder<Team> teamDecoder =
                new RecordDecoder<>(serdes.valueSerde(Topics.TEAMS).deserializer(), teams);
        builder.addGlobalStore(
                EngagementStores.teams(stores),
                teams,
                bytes(TEAMS_SOURCE),
                () -> new ReferenceStoreUpdater<>(EngagementStores.TEAMS, teamDecoder, TeamView::of));

        RecordDecoder<Participant> participantDecoder =
                new RecordDecoder<>(serdes.valueSerde(Topics.PARTICIPANTS).deserializer(), participants);
        builder.addGlobalStore(
                EngagementStores.profiles(stores),
                participants,
                bytes(PARTICIPANTS_SOURCE),
                () -> new ReferenceStoreUpdater<>(
                        EngagementStores.PROFILES, participantDecoder, (key, p) -> ProfileView.of(key, p)));
        builder.addStateStore(EngagementStores.awaitingProfile(stores));
        builder.addStateStore(EngagementStores.buckets(stores));
        builder.addStateStore(EngagementStores.days(stores));
        builder.addStateStore(EngagementStores.streaks(stores));
        builder.addStateStore(EngagementStores.points(stores));
        builder.addStateStore(EngagementStores.expiry(stores));
        builder.addStateStore(EngagementStores.erasures(stores));
        builder.addStateStore(EngagementStores.nudgeSchedule(stores));
        builder.addStateStore(EngagementStores.nudges(stores));
        builder.addStateStore(EngagementStores.teamSteps(stores));
        builder.addStateStore(EngagementStores.changedDays(stores));
        builder.addStateStore(EngagementStores.standings(stores));
        builder.addStateStore(EngagementStores.ranking(stores));
        builder.addStateStore(EngagementStores.cheersSeen(stores));
        builder.addStateStore(EngagementStores.cheersGiven(stores));
        builder.addStateStore(EngagementStores.teamStandings(stores));
        builder.addStateStore(EngagementStores.teamRanking(stores));
        builder.addStateStore(EngagementStores.cheersReceived(stores));
        builder.addStateStore(EngagementStores.donationAccounts(stores));
        builder.addStateStore(EngagementStores.donationIssuers(stores));
        builder.addStateStore(EngagementStores.donationDeferred(stores));

        RecordDecoder<NormalizedReading> readingDecoder = new RecordDecoder<>(
                serdes.valueSerde(Topics.READINGS_NORMALIZED).deserializer(), normalized);
        String cheers = topics.name(Topics.SOCIAL_CHEERS);
        RecordDecoder<Cheer> cheerDecoder =
                new RecordDecoder<>(serdes.valueSerde(Topics.SOCIAL_CHEERS).deserializer(), cheers);
        String erasures = topics.name(Topics.PARTICIPANT_ERASURES);
        RecordDecoder<ParticipantErasure> erasureDecoder = new RecordDecoder<>(
                serdes.valueSerde(Topics.PARTICIPANT_ERASURES).deserializer(), erasures);
        Duration retention = retention(config);
        Duration lateHorizon = config.lateHorizon();
        Duration skew = config.clockSkewTolerance();
        KStream<String, EngagementOutput> fromReadings = builder.stream(normalized, bytes(READINGS_SOURCE))
                .merge(builder.stream(cheers, bytes(CHEERS_SOURCE)), Named.as("readings-and-cheers"))
                .merge(builder.stream(erasures, bytes(ERASURES_SOURCE)), Named.as("and-erasures"))
                .process(
                        () -> new EngagementProcessor(
                                readingDecoder,
                                cheerDecoder,
                                cheers,
                                erasureDecoder,
                                erasures,
                                retention,
                                lateHorizon,
                                skew,
                                metrics),
                        Named.as(ACTIVITY_PROCESSOR),
                        EngagementStores.AWAITING_PROFILE,
                        EngagementStores.BUCKETS,
                        EngagementStores.DAYS,
                        EngagementStores.STREAKS,
                        EngagementStores.POINTS,
                        EngagementStores.TEAM_STEPS,
                        EngagementStores.EXPIRY,
                        EngagementStores.ERASURES,
                        EngagementStores.NUDGE_SCHEDULE,
                        EngagementStores.NUDGES,
                        EngagementStores.CHANGED_DAYS,
                        EngagementStores.STANDINGS,
                        EngagementStores.RANKING,
                        EngagementStores.CHEERS_SEEN,
                        EngagementStores.CHEERS_GIVEN);
        String standings = topics.name(Topics.STANDINGS);

        fromReadings
                .split(Named.as(ROUTE))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.Daily,
                        Branched.withConsumer(
                                s -> s.map(
                                                (k, o) -> KeyValue.pair(
                                                        ((EngagementOutput.Daily) o).key(),
                                                        ((EngagementOutput.Daily) o).value()),
                                                Named.as("daily-record"))
                                        .to(
                                                topics.name(Topics.ACTIVITY_DAILY),
                                                Produced.with(
                                                                serdes.keySerde(Topics.ACTIVITY_DAILY),
                                                                serdes.valueSerde(Topics.ACTIVITY_DAILY))
                                                        .withStreamPartitioner(new ParticipantDayPartitioner())
                                                        .withName("activity-daily-sink")),
                                "daily"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.Goal,
                        Branched.withConsumer(
                                s -> s.mapValues(o -> ((EngagementOutput.Goal) o).event(), Named.as("goal-value"))
                                        .to(
                                                topics.name(Topics.GOALS_ACHIEVED),
                                                Produced.with(
                                                                serdes.keySerde(Topics.GOALS_ACHIEVED),
                                                                serdes.valueSerde(Topics.GOALS_ACHIEVED))
                                                        .withName("goals-achieved-sink")),
                                "goals"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.Streak,
                        Branched.withConsumer(
                                s -> s.mapValues(o -> ((EngagementOutput.Streak) o).event(), Named.as("streak-value"))
                                        .to(
                                                topics.name(Topics.STREAKS),
                                                Produced.with(
                                                                serdes.keySerde(Topics.STREAKS),
                                                                serdes.valueSerde(Topics.STREAKS))
                                                        .withName("streaks-sink")),
                                "streaks"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.Nudge,
                        Branched.withConsumer(
                                s -> s.mapValues(o -> ((EngagementOutput.Nudge) o).nudge(), Named.as("nudge-value"))
                                        .to(
                                                topics.name(Topics.COACHING_NUDGES),
                                                Produced.with(
                                                                serdes.keySerde(Topics.COACHING_NUDGES),
                                                                serdes.valueSerde(Topics.COACHING_NUDGES))
                                                        .withName("coaching-nudges-sink")),
                                "nudges"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.Points,
                        Branched.withConsumer(
                                s -> s.mapValues(o -> ((EngagementOutput.Points) o).award(), Named.as("points-value"))
                                        .to(
                                                topics.name(Topics.ENGAGEMENT_POINTS),
                                                Produced.with(
                                                                serdes.keySerde(Topics.ENGAGEMENT_POINTS),
                                                                serdes.valueSerde(Topics.ENGAGEMENT_POINTS))
                                                        .withName("engagement-points-sink")),
                                "points"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.Standing,
                        Branched.withConsumer(
                                s -> s.map(
                                                (k, o) -> KeyValue.pair(
                                                        ((EngagementOutput.Standing) o).key(),
                                                        ((EngagementOutput.Standing) o).standing()),
                                                Named.as("standing-record"))
                                        .to(standings, toStandings(serdes, "participant-standings-sink")),
                                "standings"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.TeamDay,
                        Branched.withConsumer(
                                s -> s.map(
                                                (k, o) -> KeyValue.pair(
                                                        ((EngagementOutput.TeamDay) o)
                                                                .steps()
                                                                .programId(),
                                                        ((EngagementOutput.TeamDay) o).steps()),
                                                Named.as("team-day-by-programme"))
                                        .repartition(Repartitioned.with(Serdes.String(), TeamDaySteps.serde())
                                                .withName(TEAM_DAY_STEPS))
                                        .process(
                                                TeamStandingsProcessor::new,
                                                Named.as(TEAM_STANDINGS),
                                                EngagementStores.TEAM_STANDINGS,
                                                EngagementStores.TEAM_RANKING)
                                        .to(standings, toStandings(serdes, "team-standings-sink")),
                                "team-days"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.CheerReceived,
                        Branched.withConsumer(
                                s -> s.map(
                                                (k, o) -> KeyValue.pair(
                                                        ((EngagementOutput.CheerReceived) o).recipientId(),
                                                        receivedDay((EngagementOutput.CheerReceived) o)),
                                                Named.as("cheer-by-recipient"))
                                        .repartition(Repartitioned.with(Serdes.String(), Serdes.Long())
                                                .withName(CHEERS_RECEIVED))
                                        .process(
                                                ReceivedCheersProcessor::new,
                                                Named.as(CHEERS_RECEIVED),
                                                EngagementStores.CHEERS_RECEIVED),
                                "cheers-received"))
                .branch(
                        (k, o) -> o instanceof EngagementOutput.Intent,
                        Branched.withConsumer(
                                s -> s.map(
                                                (k, o) -> KeyValue.pair(
                                                        ((EngagementOutput.Intent) o)
                                                                .intent()
                                                                .programId(),
                                                        ((EngagementOutput.Intent) o).intent()),
                                                Named.as("intent-by-programme"))
                                        .repartition(Repartitioned.with(Serdes.String(), DonationIntent.serde())
                                                .withName(DONATION_INTENTS))
                                        .process(
                                                () -> new DonationLedgerProcessor(
                                                        EngagementStores.PROGRAMS,
                                                        EngagementStores.TEAMS,
                                                        new String[] {
                                                            EngagementStores.DONATION_ACCOUNTS,
                                                            EngagementStores.DONATION_ISSUERS,
                                                            EngagementStores.DONATION_DEFERRED
                                                        },
                                                        BUDGET_CHECK_INTERVAL,
                                                        metrics),
                                                Named.as(DONATION_LEDGER),
                                                EngagementStores.DONATION_ACCOUNTS,
                                                EngagementStores.DONATION_ISSUERS,
                                                EngagementStores.DONATION_DEFERRED)
                                        .to(
                                                topics.name(Topics.DONATIONS),
                                                Produced.with(
                                                                serdes.keySerde(Topics.DONATIONS),
                                                                serdes.valueSerde(Topics.DONATIONS))
                                                        .withName("donations-sink")),
                                "intents"))
                .noDefaultBranch();
    }

    /** The Kafka Streams application id: {@code application.id} + {@value #APPLICATION_ID_SUFFIX}. */
    public static String applicationId(EngageConfig config) {
        return config.get(EngageConfig.APPLICATION_ID) + APPLICATION_ID_SUFFIX;
    }

    /**
     * Recommended Kafka Streams settings: application id, bootstrap servers, {@code processing.guarantee} and
     * {@code commit.interval.ms} from the config, state under {@code data.dir/streams}, the registry settings,
     * {@code kafka.*} pass-through. Pass-through settings cannot weaken acks=all, idempotence or read_committed.
     */
    public static Properties streamsProperties(EngageConfig config) {
        Properties p = io.engage.config.StreamsDefaults.properties(config, applicationId(config));
        p.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, RECORD_CACHE_BYTES);
        return p;
    }

    /**
     * The record cache of an engagement instance (all its threads; {@code kafka.statestore.cache.max.bytes} sets
     * another): Kafka Streams' default of 10 MiB is smaller than the buckets and days a commit interval touches under
     * load, and an entry evicted before the commit costs an extra store write, changelog record and
     * {@code activity.daily} record (docs/benchmarks.md).
     */
    public static final long RECORD_CACHE_BYTES = 64L * 1024 * 1024;

    private static Produced<StandingKey, Standing> toStandings(TopicSerdes serdes, String sinkName) {
        return Produced.with(serdes.keySerde(Topics.STANDINGS), serdes.valueSerde(Topics.STANDINGS))
                .withStreamPartitioner(new StandingPartitioner())
                .withName(sinkName);
    }

    /** A counted cheer's local date as an epoch day; null for a recipient's erasure. */
    private static Long receivedDay(EngagementOutput.CheerReceived c) {
        return c.date() == null ? null : c.date().toEpochDay();
    }

    /** Keys as strings, values as bytes: decoding happens in the processors, where failures can be handled. */
    private static Consumed<String, byte[]> bytes(String sourceName) {
        return Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(sourceName);
    }
}
