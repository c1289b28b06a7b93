package io.engage.streams.testing;

import io.engage.avro.DailyActivity;
import io.engage.avro.DeviceType;
import io.engage.avro.Donation;
import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Participant;
import io.engage.avro.ParticipantDay;
import io.engage.avro.PointsAwarded;
import io.engage.avro.Preferences;
import io.engage.avro.Program;
import io.engage.avro.StreakEvent;
import io.engage.avro.Team;
import io.engage.config.CatalogueTestDriver;
import io.engage.config.EngageConfig;
import io.engage.schemas.AvroTrust;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementStores;
import io.engage.streams.EngagementTopology;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.query.ParticipantQueries;
import io.engage.streams.state.StoreKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The engagement topology in a {@link TopologyTestDriver} with its own {@code mock://} registry scope, typed topics,
 * helpers for reference data and readings, and every output collected as it comes. Close it after each test.
 */
public final class EngagementDriver implements AutoCloseable {
    static {
        AvroTrust.install();
    }

    /** "Now" of the tests: the default receipt time and record timestamp. */
    public static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    public static final String PROGRAM = "prog-1";

    public final EngageConfig config;
    public final TopologyTestDriver driver;
    private final String registryUrl;
    private final CatalogueTestDriver test;
    private final TestInputTopic<String, NormalizedReading> readings;
    private final TestInputTopic<String, byte[]> readingBytes;
    private final TestInputTopic<String, Participant> participants;
    private final TestInputTopic<String, io.engage.avro.ParticipantErasure> erasures;
    private final TestInputTopic<String, Program> programs;
    private final TestOutputTopic<ParticipantDay, DailyActivity> dailyTopic;
    private final TestOutputTopic<String, GoalAchieved> goalsTopic;
    private final TestOutputTopic<String, StreakEvent> streaksTopic;
    private final TestOutputTopic<String, PointsAwarded> pointsTopic;
    private final TestInputTopic<String, Team> teams;
    private final TestOutputTopic<String, Donation> donationsTopic;
    private final TestOutputTopic<String, io.engage.avro.Nudge> nudgesTopic;
    private final TestInputTopic<String, io.engage.avro.Cheer> cheersTopic;
    private final TestOutputTopic<io.engage.avro.StandingKey, io.engage.avro.Standing> standingsTopic;
    private final Map<String, String> zones = new HashMap<>();
    /** The test driver's wall clock (it starts at {@link #NOW}). */
    private Instant wall = NOW;

    /** Every {@code activity.daily} record so far, in order. */
    public final List<KeyValue<ParticipantDay, DailyActivity>> dailyRecords = new ArrayList<>();

    public final List<GoalAchieved> goals = new ArrayList<>();
    public final List<StreakEvent> streaks = new ArrayList<>();
    public final List<PointsAwarded> points = new ArrayList<>();
    /** The metrics the topology records (engage_nudges_total). */
    public final io.micrometer.core.instrument.MeterRegistry metrics =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    /** Every {@code coaching.nudges} record so far, in order. */
    public final List<io.engage.avro.Nudge> nudges = new ArrayList<>();
    /** Every {@code standings} record so far, in order. */
    public final List<KeyValue<io.engage.avro.StandingKey, io.engage.avro.Standing>> standingRecords =
            new ArrayList<>();
    /** Every {@code donations} record so far, in order (all keyed by programme id). */
    public final List<Donation> donations = new ArrayList<>();

    public EngagementDriver() {
        this(Map.of());
    }

    /** With configuration overrides ({@code late.horizon}, {@code topic.prefix}, ...). */
    public EngagementDriver(Map<String, String> overrides) {
        this(overrides, EngagementStores.Kind.PERSISTENT);
    }

    /** With configuration overrides and stores of the given kind (in-memory is faster for many short runs). */
    public EngagementDriver(Map<String, String> overrides, EngagementStores.Kind stores) {
        test = new CatalogueTestDriver(
                "engagement",
                overrides,
                c -> EngagementTopology.build(c, c.registryClientConfigs(), stores, metrics),
                EngagementTopology::streamsProperties,
                NOW);
        registryUrl = test.registryUrl;
        config = test.config;
        driver = test.driver;
        readings = test.input(Topics.READINGS_NORMALIZED);
        readingBytes = test.bytesInput(Topics.READINGS_NORMALIZED);
        participants = test.input(Topics.PARTICIPANTS);
        erasures = test.input(Topics.PARTICIPANT_ERASURES);
        programs = test.input(Topics.PROGRAMS);
        teams = test.input(Topics.TEAMS);
        dailyTopic = test.output(Topics.ACTIVITY_DAILY);
        goalsTopic = test.output(Topics.GOALS_ACHIEVED);
        streaksTopic = test.output(Topics.STREAKS);
        pointsTopic = test.output(Topics.ENGAGEMENT_POINTS);
        donationsTopic = test.output(Topics.DONATIONS);
        nudgesTopic = test.output(Topics.COACHING_NUDGES);
        cheersTopic = test.input(Topics.SOCIAL_CHEERS);
        standingsTopic = test.output(Topics.STANDINGS);
    }

    /** Publishes a team record. */
    public EngagementDriver team(Team t) {
        teams.pipeInput(t.getTeamId(), t, t.getUpdatedAt());
        return this;
    }

    /** Advances wall-clock time (team-step flushes, budget checks, nudges) and collects what it caused. */
    public EngagementDriver advanceWallClock(java.time.Duration d) {
        driver.advanceWallClockTime(d);
        wall = wall.plus(d);
        collect();
        return this;
    }

    /** Advances wall-clock time to {@code t} (not before now) in one step: the punctuators run once. */
    public EngagementDriver wallClockTo(Instant t) {
        if (t.isBefore(wall)) {
            throw new IllegalArgumentException("the wall clock is at " + wall + ", past " + t);
        }
        return advanceWallClock(java.time.Duration.between(wall, t));
    }

    /** The test driver's wall-clock time. */
    public Instant wallClock() {
        return wall;
    }

    // ---- reference data

    /** A programme with the schema defaults. */
    public static Program.Builder program(String programId) {
        return Program.newBuilder().setProgramId(programId).setUpdatedAt(NOW.minusSeconds(86_400 * 30));
    }

    public EngagementDriver program(Program p) {
        programs.pipeInput(p.getProgramId(), p, p.getUpdatedAt());
        return this;
    }

    /** A consenting participant of {@link #PROGRAM} in {@code timezone} (may be null). */
    public static Participant.Builder participant(String participantId, String timezone) {
        return Participant.newBuilder()
                .setParticipantId(participantId)
                .setProgramId(PROGRAM)
                .setTeamId("team-1")
                .setTimezone(timezone)
                .setConsent(true)
                .setPreferences(Preferences.newBuilder().build())
                .setUpdatedAt(NOW.minusSeconds(86_400 * 30));
    }

    /** Publishes a profile; readings built with {@link #reading} carry its zone from now on. */
    public EngagementDriver profile(Participant p) {
        return profile(p, p.getUpdatedAt());
    }

    /** Publishes {@code p} under {@code key}, which may differ from its participant id (a bad record). */
    public EngagementDriver profileUnderKey(String key, Participant p) {
        participants.pipeInput(key, p, p.getUpdatedAt());
        return this;
    }

    public EngagementDriver profile(Participant p, Instant recordTime) {
        participants.pipeInput(p.getParticipantId(), p, recordTime);
        zones.put(p.getParticipantId(), p.getTimezone());
        return this;
    }

    public EngagementDriver profile(String participantId, String timezone) {
        return profile(participant(participantId, timezone).build());
    }

    /**
     * Erases a participant as the admin API does: a tombstone on {@code participants} and the request on {@code
     * participants.erasures}.
     */
    public EngagementDriver erase(String participantId, Instant recordTime) {
        participants.pipeInput(participantId, null, recordTime);
        return erasureRequest(participantId, recordTime);
    }

    /** Only the request on {@code participants.erasures} (its tombstone not yet here, or never sent). */
    public EngagementDriver erasureRequest(String participantId, Instant requestedAt) {
        erasures.pipeInput(
                participantId,
                io.engage.avro.ParticipantErasure.newBuilder()
                        .setParticipantId(participantId)
                        .setRequestedAt(requestedAt)
                        .build(),
                requestedAt);
        return this;
    }

    /** Only the tombstone on {@code participants}. */
    public EngagementDriver profileTombstone(String participantId, Instant recordTime) {
        participants.pipeInput(participantId, null, recordTime);
        return this;
    }

    // ---- readings

    /** A reading of {@code participantId}'s device over [start, end) (RFC 3339), with the profile's zone attached. */
    public ReadingBuilder reading(
            String participantId, String deviceId, Metric metric, double value, String start, String end) {
        OffsetDateTime s = OffsetDateTime.parse(start);
        return new ReadingBuilder(NormalizedReading.newBuilder()
                .setParticipantId(participantId)
                .setDeviceId(deviceId)
                .setDeviceType(deviceId.contains("glasses") ? DeviceType.glasses : DeviceType.tracker)
                .setMetric(metric)
                .setValue(value)
                .setStart(s.toInstant())
                .setEnd(OffsetDateTime.parse(end).toInstant())
                .setOffsetSeconds(s.getOffset().getTotalSeconds())
                .setZoneId(zones.get(participantId))
                .setReceivedAt(NOW));
    }

    public ReadingBuilder steps(String participantId, String deviceId, double value, String start, String end) {
        return reading(participantId, deviceId, Metric.steps, value, start, end);
    }

    /** Builds and sends a reading; the record timestamp is the receipt time unless set. */
    public final class ReadingBuilder {
        private final NormalizedReading.Builder b;
        private Instant recordTime;

        ReadingBuilder(NormalizedReading.Builder b) {
            this.b = b;
        }

        public ReadingBuilder receivedAt(Instant at) {
            b.setReceivedAt(at);
            return this;
        }

        public ReadingBuilder receivedAt(String rfc3339) {
            return receivedAt(OffsetDateTime.parse(rfc3339).toInstant());
        }

        public ReadingBuilder zone(String zoneId) {
            b.setZoneId(zoneId);
            return this;
        }

        public ReadingBuilder recordTime(Instant at) {
            recordTime = at;
            return this;
        }

        public NormalizedReading build() {
            return b.build();
        }

        public EngagementDriver send() {
            NormalizedReading r = b.build();
            EngagementDriver.this.send(r, recordTime == null ? r.getReceivedAt() : recordTime);
            return EngagementDriver.this;
        }
    }

    public EngagementDriver send(NormalizedReading r) {
        return send(r, r.getReceivedAt());
    }

    public EngagementDriver send(NormalizedReading r, Instant recordTime) {
        readings.pipeInput(r.getParticipantId(), r, recordTime);
        endOfRound();
        return this;
    }

    public EngagementDriver sendBytes(String key, byte[] bytes, Instant recordTime) {
        readingBytes.pipeInput(key, bytes, recordTime);
        endOfRound();
        return this;
    }

    /**
     * After each record (the test driver has committed it, so the days it changed are sent): one millisecond of
     * wall-clock time passes, the punctuators that are due run, and the outputs are collected.
     */
    private void endOfRound() {
        driver.advanceWallClockTime(java.time.Duration.ofMillis(1));
        wall = wall.plusMillis(1);
        collect();
    }

    // ---- cheers

    /** A cheer from {@code from} to {@code to} at {@code at}, with a content-derived id (as the admin API makes). */
    public static io.engage.avro.Cheer cheer(String from, String to, Instant at) {
        return io.engage.avro.Cheer.newBuilder()
                .setCheerId("cheer:" + from + ":" + to + ":cheer:" + at.toEpochMilli())
                .setFrom(from)
                .setTo(to)
                .setAt(at)
                .build();
    }

    /** Sends a cheer keyed by its giver, received at {@code recordTime}. */
    public EngagementDriver send(io.engage.avro.Cheer c, Instant recordTime) {
        cheersTopic.pipeInput(c.getFrom(), c, recordTime);
        endOfRound();
        return this;
    }

    /** Sends a cheer received when it was given. */
    public EngagementDriver send(io.engage.avro.Cheer c) {
        return send(c, c.getAt());
    }

    // ---- outputs

    /** Moves every output so far into the lists. */
    public void collect() {
        dailyTopic.readKeyValuesToList().forEach(dailyRecords::add);
        goals.addAll(goalsTopic.readValuesToList());
        streaks.addAll(streaksTopic.readValuesToList());
        points.addAll(pointsTopic.readValuesToList());
        nudgesTopic.readKeyValuesToList().forEach(kv -> {
            if (!kv.key.equals(kv.value.getParticipantId())) {
                throw new AssertionError("nudge " + kv.value.getNudgeId() + " keyed '" + kv.key + "'");
            }
            nudges.add(kv.value);
        });
        standingsTopic.readKeyValuesToList().forEach(standingRecords::add);
        donationsTopic.readKeyValuesToList().forEach(kv -> {
            if (!kv.key.equals(kv.value.getProgramId())) {
                throw new AssertionError(
                        "donation " + kv.value.getDonationId() + " keyed '" + kv.key + "', not by programme");
            }
            donations.add(kv.value);
        });
    }

    /** What became of each due nudge of {@code participantId} (sent or held back), in store order. */
    public List<io.engage.streams.coaching.NudgeRecord> nudgeRecords(String participantId) {
        collect();
        List<io.engage.streams.coaching.NudgeRecord> out = new ArrayList<>();
        try (var it = driver.<String, io.engage.streams.coaching.NudgeRecord>getKeyValueStore(EngagementStores.NUDGES)
                .prefixScan(
                        StoreKeys.participantPrefix(participantId),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /** The latest {@code activity.daily} value per date of {@code participantId} (compacted view). */
    public Map<LocalDate, DailyActivity> days(String participantId) {
        collect();
        Map<LocalDate, DailyActivity> out = new LinkedHashMap<>();
        for (KeyValue<ParticipantDay, DailyActivity> kv : dailyRecords) {
            if (kv.key.getParticipantId().equals(participantId)) {
                if (kv.value == null) {
                    out.remove(kv.key.getDate());
                } else {
                    out.put(kv.key.getDate(), kv.value);
                }
            }
        }
        return out;
    }

    /** The latest {@code activity.daily} value of one day (fails when there is none). */
    public DailyActivity day(String participantId, String date) {
        DailyActivity d = days(participantId).get(LocalDate.parse(date));
        if (d == null) {
            throw new AssertionError("no activity.daily record for " + participantId + " on " + date + "; have "
                    + days(participantId).keySet());
        }
        return d;
    }

    public <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** The keys of a store, in store order. */
    public List<String> keys(String storeName) {
        List<String> out = new ArrayList<>();
        try (var it = driver.<String, Object>getKeyValueStore(storeName).all()) {
            it.forEachRemaining(kv -> out.add(kv.key));
        }
        return out;
    }

    /**
     * The reading identities held in the hour buckets, as {@code participant NUL device NUL metric NUL startMillis NUL
     * endMillis}, in store order.
     */
    public List<String> readingKeys() {
        List<String> out = new ArrayList<>();
        try (var it = driver.<String, HourBucket>getKeyValueStore(EngagementStores.BUCKETS)
                .all()) {
            it.forEachRemaining(kv -> kv.value
                    .readings()
                    .forEach(r -> out.add(StoreKeys.join(
                            StoreKeys.split(kv.key).get(0),
                            r.deviceId(),
                            r.metric().name(),
                            Long.toString(r.start().toEpochMilli()),
                            Long.toString(r.end().toEpochMilli())))));
        }
        return out;
    }

    /** The local metric-hours held in the hour buckets, as {@code participant NUL metric NUL LocalHour.key()}. */
    public List<String> hourKeys() {
        List<String> out = new ArrayList<>();
        try (var it = driver.<String, HourBucket>getKeyValueStore(EngagementStores.BUCKETS)
                .all()) {
            it.forEachRemaining(kv -> kv.value
                    .hours()
                    .keySet()
                    .forEach(slot -> out.add(StoreKeys.join(
                            StoreKeys.split(kv.key).get(0),
                            slot.metric().name(),
                            slot.hour().key()))));
        }
        return out;
    }

    /** Queries over this driver's stores, with "today" from {@code clock}. */
    public ParticipantQueries queries(Clock clock) {
        return new ParticipantQueries(
                store(EngagementStores.PROFILES),
                store(EngagementStores.PROGRAMS),
                store(EngagementStores.DAYS),
                store(EngagementStores.STREAKS),
                store(EngagementStores.POINTS),
                store(EngagementStores.DONATION_ACCOUNTS),
                store(EngagementStores.DONATION_ISSUERS),
                store(EngagementStores.NUDGES),
                clock);
    }

    /** The social queries over this driver's stores (one partition). */
    public io.engage.streams.query.SocialQueries social() {
        KeyValueStore<String, byte[]> ranking = store(EngagementStores.RANKING);
        return new io.engage.streams.query.SocialQueries(
                store(EngagementStores.PROFILES),
                () -> Map.of(0, ranking),
                store(EngagementStores.TEAM_RANKING),
                store(EngagementStores.CHEERS_RECEIVED));
    }

    /**
     * The latest {@code standings} value per key (the compacted topic), as {@code scope/entity/period/start} to steps.
     */
    public Map<String, Long> standings() {
        collect();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (var kv : standingRecords) {
            String key = kv.key.getScope() + "/" + kv.key.getEntityId() + "/" + kv.key.getPeriod() + "/"
                    + kv.key.getPeriodStart();
            if (kv.value == null) {
                out.remove(key);
            } else {
                out.put(key, kv.value.getSteps());
            }
        }
        return out;
    }

    public ParticipantQueries queries() {
        return queries(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Override
    public void close() {
        test.close();
    }
}
