package io.engage.streams;

import io.engage.avro.Cheer;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.avro.ParticipantErasure;
import io.engage.processing.RecordDecoder;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.activity.LocalDay;
import io.engage.streams.activity.ReadingState;
import io.engage.streams.coaching.NudgeRules;
import io.engage.streams.engagement.AwaitedReading;
import io.engage.streams.engagement.EngagementDecision;
import io.engage.streams.engagement.EngagementRules;
import io.engage.streams.engagement.ErasureRules;
import io.engage.streams.engagement.ParticipantState;
import io.engage.streams.engagement.ReadingInput;
import io.engage.streams.philanthropy.DonationIntent;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.state.ExpiryIndex;
import io.engage.streams.state.PrefixDelete;
import io.engage.streams.state.StoreKeys;
import io.engage.streams.streaks.StreakBook;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumbing around {@link EngagementRules}: for each normalised reading it reads the participant's profile and
 * programme, lets the rules decide against the participant's stores ({@link ParticipantState}), writes back what
 * they changed and forwards their events. The rules (docs/rules.md) live in the rules and the domain classes, not
 * here.
 *
 * <p>"Now" is the record's timestamp (when the reading was received), never a wall clock: the outputs of a record are
 * the same whenever it is processed, so exactly-once reprocessing and replays give identical events. The wall-clock
 * schedules decide when, not what: when a team's steps reach the donation ledger and the team standings
 * ({@link #TEAM_STEPS_FLUSH_INTERVAL}), when waiting readings are looked at again, and when a nudge is due (its time is
 * a wall-clock time by nature, docs/coaching.md). Cheers read on the same task are judged by {@link Cheers}.
 */
final class EngagementProcessor implements Processor<String, byte[], String, EngagementOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(EngagementProcessor.class);

    /** How often (in stream time) expired hour buckets are purged. */
    static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(5);
    /** At most this many expired bucket days are purged per run; the rest wait for the next. */
    static final int EXPIRY_BATCH = 10_000;
    /** The expiry index's kind for a participant's buckets of one UTC date. */
    static final String BUCKET_DAY = "buckets";

    /**
     * How often (wall clock) the coaching schedule is checked for due nudges (docs/coaching.md), and the standings take
     * the days whose steps changed and send the steps of each team to the donation ledger and the team standings: once
     * per changed day instead of once per reading, one record per team and task (and per team, local date and task).
     * Wall clock, so the last steps are sent even when no reading follows. One punctuator does both: Kafka Streams
     * halves the records a task processes between its checks after every punctuation (docs/benchmarks.md).
     */
    static final Duration WALL_CLOCK_INTERVAL = Duration.ofSeconds(1);

    /**
     * How often (wall clock) readings waiting for their participant's profile, and erasure requests waiting for this
     * instance's profile store, are looked at again; scheduled only while any wait (docs/rules.md).
     */
    static final Duration AWAITING_CHECK_INTERVAL = Duration.ofMillis(100);

    private final RecordDecoder<NormalizedReading> decoder;
    private final RecordDecoder<Cheer> cheerDecoder;
    private final String cheersTopic;
    private final RecordDecoder<ParticipantErasure> erasureDecoder;
    private final String erasuresTopic;
    private final Duration retention;
    private final Duration lateHorizon;
    private final Duration skew;
    private final MeterRegistry metrics;

    private ProcessorContext<String, EngagementOutput> context;
    private KeyValueStore<String, ProfileView> profiles;
    private KeyValueStore<String, ProgramRules> programs;
    private KeyValueStore<String, HourBucket> buckets;
    private KeyValueStore<String, DayState> days;
    private KeyValueStore<String, StreakBook> streaks;
    private KeyValueStore<String, PointsBalance> points;
    /**
     * Whether the days store sends the changed days at the commit ({@link SentOnCommit}); if not, each is sent as it
     * changes.
     */
    private boolean daysOnCommit;

    private KeyValueStore<String, AwaitedReading> awaiting;
    /** {@link #awaiting} mirrored on the heap, by participant; null until read from the store after (re)start. */
    private Map<String, Map<String, AwaitedReading>> awaitingByParticipant;

    /** Erasure requests waiting for this instance's profile store ({@link ErasureRules}); normally empty. */
    private KeyValueStore<String, Long> erasures;
    /** {@link #erasures} mirrored on the heap; null until read from the store after (re)start. */
    private Map<String, Instant[]> pendingErasures;
    /** The scheduled check of waiting readings and erasures; null while nothing waits. */
    private Cancellable awaitingCheck;
    /** The wall-clock and expiry punctuators of this init, cancelled at close (a revived task is initialised again). */
    private Cancellable wallClock;

    private Cancellable expiryPurge;

    private ExpiryIndex expiry;
    private Coaching coaching;
    private Social social;
    private Cheers cheers;

    /**
     * @param cheersTopic  the records of this topic are cheers (keyed by the giver)
     * @param erasuresTopic the records of this topic are erasure requests; all others are readings
     * @param retention    how long after a reading's end (or an hour's end) its state is kept: the late horizon plus a
     *                     margin, so nothing that can still be corrected is forgotten
     * @param lateHorizon  how old a cheer may be
     * @param skew         how far in the future a cheer's time may be
     */
    EngagementProcessor(
            RecordDecoder<NormalizedReading> decoder,
            RecordDecoder<Cheer> cheerDecoder,
            String cheersTopic,
            RecordDecoder<ParticipantErasure> erasureDecoder,
            String erasuresTopic,
            Duration retention,
            Duration lateHorizon,
            Duration skew,
            MeterRegistry metrics) {
        this.decoder = decoder;
        this.cheerDecoder = cheerDecoder;
        this.cheersTopic = cheersTopic;
        this.erasureDecoder = erasureDecoder;
        this.erasuresTopic = erasuresTopic;
        this.retention = retention;
        this.lateHorizon = lateHorizon;
        this.skew = skew;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, EngagementOutput> context) {
        this.context = context;
        profiles = context.getStateStore(EngagementStores.PROFILES);
        programs = context.getStateStore(EngagementStores.PROGRAMS);
        buckets = context.getStateStore(EngagementStores.BUCKETS);
        days = context.getStateStore(EngagementStores.DAYS);
        streaks = context.getStateStore(EngagementStores.STREAKS);
        points = context.getStateStore(EngagementStores.POINTS);
        daysOnCommit = SentOnCommit.attach(context, days, false, (key, day, previous) -> {
            int sep = key.lastIndexOf(StoreKeys.SEP);
            String pid = key.substring(0, sep);
            return List.of(new Record<>(
                    pid,
                    new EngagementOutput.Daily(pid, LocalDate.parse(key.substring(sep + 1)), day),
                    day.updatedAt().toEpochMilli()));
        });
        awaiting = context.getStateStore(EngagementStores.AWAITING_PROFILE);
        awaitingByParticipant = null;
        erasures = context.getStateStore(EngagementStores.ERASURES);
        pendingErasures = null;
        expiry = new ExpiryIndex(context.getStateStore(EngagementStores.EXPIRY));
        coaching = new Coaching(
                context.getStateStore(EngagementStores.NUDGE_SCHEDULE),
                context.getStateStore(EngagementStores.NUDGES),
                profiles,
                this::program,
                days,
                buckets,
                streaks,
                expiry,
                metrics,
                n -> context.forward(new Record<>(
                        n.key,
                        new EngagementOutput.Nudge(n.value),
                        n.value.getAt().toEpochMilli())));
        social = new Social(context, profiles, days, context::forward);
        cheers = new Cheers(
                context.getStateStore(EngagementStores.CHEERS_SEEN),
                context.getStateStore(EngagementStores.CHEERS_GIVEN),
                points,
                profiles,
                this::program,
                expiry,
                lateHorizon,
                skew,
                retention,
                metrics,
                this::emit);
        wallClock = context.schedule(WALL_CLOCK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
            coaching.fire(Instant.ofEpochMilli(now));
            social.update(now);
        });
        expiryPurge = context.schedule(EXPIRY_INTERVAL, PunctuationType.STREAM_TIME, this::purgeExpired);
        // readings or erasures left waiting by an earlier run are found by the first check, which then cancels itself
        // if nothing waits
        checkAwaitingSoon();
    }

    /**
     * Schedules the wall-clock check of waiting readings and erasures unless it is scheduled. It runs only while
     * something waits: every punctuation makes Kafka Streams halve how many records a task processes between its
     * bookkeeping (numIterations), and a check every 100 ms on every task kept that at one or two records.
     */
    private void checkAwaitingSoon() {
        if (awaitingCheck != null) {
            return;
        }
        // cancelled when it finds nothing waiting; a schedule of an earlier init was cancelled at close
        awaitingCheck = context.schedule(AWAITING_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (!checkAwaiting(now)) {
                awaitingCheck.cancel();
                awaitingCheck = null;
            }
        });
    }

    /**
     * Cancels this init's punctuators: Kafka Streams keeps a task's schedules when it revives the task (after a
     * corrupted state, for one) and calls init again, which schedules them anew.
     */
    @Override
    public void close() {
        for (Cancellable c : new Cancellable[] {wallClock, expiryPurge, awaitingCheck}) {
            if (c != null) {
                c.cancel();
            }
        }
        wallClock = null;
        expiryPurge = null;
        awaitingCheck = null;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        if (source != null && erasuresTopic.equals(source.topic())) {
            ParticipantErasure erasure = erasureDecoder.decode(
                    record.headers(),
                    record.value(),
                    reason -> LOG.error(
                            "an undecodable participants.erasures record at {}: erasing by its key '{}' ({})",
                            where(),
                            record.key(),
                            reason));
            String pid = erasure != null ? erasure.getParticipantId() : record.key();
            Instant requestedAt = erasure != null ? erasure.getRequestedAt() : Instant.ofEpochMilli(record.timestamp());
            if (pid == null || pid.isEmpty() || pid.indexOf(StoreKeys.SEP) >= 0) {
                LOG.error("skipping an erasure request at {}: no usable participant id", where());
            } else {
                requestErasure(pid, requestedAt);
            }
            return;
        }
        if (source != null && cheersTopic.equals(source.topic())) {
            Cheer cheer = cheerDecoder.decode(
                    record.headers(),
                    record.value(),
                    reason -> LOG.error(
                            "skipping an undecodable social.cheers record with key '{}' at {}: {}",
                            record.key(),
                            where(),
                            reason));
            if (cheer != null) {
                cheers.process(cheer, Instant.ofEpochMilli(record.timestamp()));
            }
            return;
        }
        NormalizedReading r = decoder.decode(
                record.headers(),
                record.value(),
                reason -> LOG.error(
                        "skipping an undecodable readings.normalized record with key '{}' at {}: {}",
                        record.key(),
                        where(),
                        reason));
        if (r == null) {
            return;
        }
        String pid = r.getParticipantId();
        if (record.key() != null && !record.key().equals(pid)) {
            LOG.warn(
                    "reading at {} keyed '{}' belongs to participant '{}': counted for the participant",
                    where(),
                    record.key(),
                    pid);
        }
        if (!ReadingState.countable(r.getMetric(), r.getStart(), r.getEnd(), r.getValue())) {
            // metadata only: the values are health data and stay out of logs (docs/ingest.md, "Hostile input")
            LOG.error(
                    "skipping an invalid normalised reading at {} (device '{}', {}): its interval or value cannot be"
                            + " counted",
                    where(),
                    r.getDeviceId(),
                    r.getMetric());
            return;
        }
        ZoneId zone = LocalDay.zoneFor(r.getZoneId(), r.getOffsetSeconds());
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        ReadingState reading = new ReadingState(
                r.getDeviceId(),
                r.getMetric(),
                r.getStart(),
                r.getEnd(),
                r.getValue(),
                zone.getId(),
                r.getReceivedAt(),
                offset);
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (awaitingProfiles().containsKey(pid)) {
            // earlier readings of the participant wait for the profile: this one may not overtake them
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            releaseAwaiting(pid, now);
            if (awaitingProfiles().containsKey(pid)) {
                await(pid, new AwaitedReading(reading, at, now));
                return;
            }
        }
        ProfileView profile = profiles.get(pid);
        switch (AwaitedReading.verdictOnArrival(profile)) {
            case COUNT -> count(pid, profile, reading, at);
            case WAIT ->
                await(pid, new AwaitedReading(reading, at, Instant.ofEpochMilli(context.currentSystemTimeMs())));
            default -> LOG.debug("dropping a reading of participant '{}' at {}: no consenting profile", pid, where());
        }
    }

    /** Counts a reading of a participant with a consenting profile: the rules decide, the stores take the change. */
    private void count(String pid, ProfileView profile, ReadingState reading, Instant at) {
        EngagementDecision decision = EngagementRules.decide(
                new StoredState(pid), new ReadingInput(pid, profile, program(profile.programId()), reading, at));
        store(pid, profile, decision);
        if (reading.metric() == Metric.steps) {
            decision.days().keySet().forEach(date -> social.changed(pid, date));
        }
        for (EngagementOutput out : decision.outputs()) {
            // with daysOnCommit a changed day leaves from the days store it was written to, at the commit
            if (!(out instanceof EngagementOutput.Daily) || !daysOnCommit) {
                emit(new Record<>(pid, out, at.toEpochMilli()));
            }
        }
        coaching.seen(pid, profile, reading.zone(), Instant.ofEpochMilli(context.currentSystemTimeMs()));
        NudgeRules.Celebration celebration = NudgeRules.celebrationOf(decision.outputs(), at, reading.zone());
        if (celebration != null) {
            coaching.celebrate(pid, profile, celebration.date(), at, celebration.milestone());
        }
    }

    /**
     * Forwards an output, counting goals and point awards ({@code engage_goals_achieved_total{metric,late}}, {@code
     * engage_points_awarded_total{reason}}, docs/operations.md). Like the nudge counter these are metrics, not a
     * ledger: a transaction that aborts after the count is counted again when its records are processed again.
     */
    private void emit(Record<String, EngagementOutput> r) {
        if (r.value() instanceof EngagementOutput.Goal g) {
            metrics.counter(
                            GOALS_METRIC,
                            "metric",
                            g.event().getMetric().name(),
                            "late",
                            String.valueOf(g.event().getLate()))
                    .increment();
        } else if (r.value() instanceof EngagementOutput.Points p) {
            metrics.counter(POINTS_METRIC, "reason", p.award().getReason().name())
                    .increment(p.award().getPoints());
        }
        context.forward(r);
    }

    /** The goals counter's name; Prometheus shows it as {@code engage_goals_achieved_total}. */
    static final String GOALS_METRIC = "engage.goals.achieved";
    /** The points counter's name ({@code engage_points_awarded_total}): points, by reason. */
    static final String POINTS_METRIC = "engage.points.awarded";

    /** Parks a reading until its participant's profile arrives (docs/rules.md, "Profiles, consent and erasure"). */
    private void await(String pid, AwaitedReading reading) {
        String key = StoreKeys.join(pid, StoreKeys.hex16(reading.reading().sourceOffset()));
        awaiting.put(key, reading);
        awaitingProfiles().computeIfAbsent(pid, p -> new LinkedHashMap<>()).put(key, reading);
        checkAwaitingSoon();
        LOG.debug("a reading of participant '{}' at {} waits for the profile", pid, where());
    }

    /**
     * Counts (or drops) the participant's waiting readings, oldest first, as far as the profile now allows: all of
     * them once the profile is here, the overdue ones when it still is not.
     */
    private void releaseAwaiting(String pid, Instant now) {
        Map<String, AwaitedReading> waiting = awaitingProfiles().get(pid);
        ProfileView profile = profiles.get(pid);
        var it = waiting.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            AwaitedReading a = e.getValue();
            AwaitedReading.Verdict verdict = AwaitedReading.verdict(profile, a.waitingSince(), now);
            if (verdict == AwaitedReading.Verdict.WAIT) {
                break;
            }
            if (verdict == AwaitedReading.Verdict.COUNT) {
                count(pid, profile, a.reading(), a.at());
            } else if (verdict == AwaitedReading.Verdict.DROP_NO_PROFILE) {
                LOG.warn(
                        "dropping a reading of participant '{}' (device '{}', {} from {}): no profile arrived within {}"
                                + " (never created, or erased)",
                        pid,
                        a.reading().deviceId(),
                        a.reading().metric(),
                        a.reading().start(),
                        AwaitedReading.WAIT);
            } else {
                LOG.debug("dropping a waiting reading of participant '{}': the profile has no consent", pid);
            }
            awaiting.delete(e.getKey());
            it.remove();
        }
        if (waiting.isEmpty()) {
            awaitingProfiles().remove(pid);
        }
    }

    /**
     * An erasure request: carried out as soon as this instance no longer has the erased profile ({@link
     * ErasureRules}), else it waits in {@link EngagementStores#ERASURES} and is looked at again with the waiting
     * readings.
     */
    private void requestErasure(String pid, Instant requestedAt) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (ErasureRules.carryOut(profiles.get(pid), requestedAt, now, now)) {
            if (pendingErasures().remove(pid) != null) {
                erasures.delete(pid); // an earlier request of the same id: this one covers it
            }
            forget(pid, requestedAt);
            return;
        }
        erasures.put(pid, requestedAt.toEpochMilli());
        pendingErasures().put(pid, new Instant[] {requestedAt, now});
        checkAwaitingSoon();
        LOG.debug("an erasure waits for this instance's profile store to drop the profile");
    }

    /** Carries out the waiting erasure requests that may be now. */
    private void checkErasures(Instant now) {
        var it = pendingErasures().entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            String pid = e.getKey();
            ProfileView profile = profiles.get(pid);
            if (ErasureRules.carryOut(profile, e.getValue()[0], e.getValue()[1], now)) {
                if (profile != null && !profile.updatedAt().isAfter(e.getValue()[0])) {
                    LOG.warn(
                            "an erasure request waited {} for this instance's profile store to drop the profile;"
                                    + " carried out now: readings counted from here on are kept (docs/privacy.md)",
                            ErasureRules.WAIT);
                }
                it.remove();
                erasures.delete(pid);
                forget(pid, e.getValue()[0]);
            }
        }
    }

    /** The waiting erasure requests: participant to {request time, when this instance first saw it}. */
    private Map<String, Instant[]> pendingErasures() {
        if (pendingErasures == null) {
            pendingErasures = new LinkedHashMap<>();
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            try (KeyValueIterator<String, Long> it = erasures.all()) {
                it.forEachRemaining(
                        kv -> pendingErasures.put(kv.key, new Instant[] {Instant.ofEpochMilli(kv.value), now}));
            }
        }
        return pendingErasures;
    }

    /**
     * Forgets a participant in every store of this task (docs/privacy.md): waiting readings, hour buckets, days (with a
     * tombstone on {@code activity.daily} for each), streaks, points, coaching, standings (with their tombstones) and
     * given cheers, with their expiry entries; and asks the tasks keyed otherwise to forget them too: the received
     * cheers (a tombstone re-keyed by the participant) and every programme's donation ledger (an erase intent).
     */
    private void forget(String pid, Instant requestedAt) {
        long at = requestedAt.toEpochMilli();
        String prefix = StoreKeys.participantPrefix(pid);
        PrefixDelete.delete(awaiting, prefix);
        awaitingProfiles().remove(pid);
        java.util.Set<Long> bucketDays = new java.util.TreeSet<>();
        for (var kv : PrefixDelete.delete(buckets, prefix)) {
            bucketDays.add(HourBucket.epochDayOf(StoreKeys.bucketHour(kv.key)));
        }
        List<KeyValue<String, DayState>> erasedDays = PrefixDelete.delete(days, prefix);
        for (var kv : erasedDays) {
            LocalDate date = LocalDate.parse(kv.key.substring(prefix.length()));
            context.forward(new Record<>(pid, new EngagementOutput.Daily(pid, date, null), at));
            // a bucket emptied by a correction was deleted but kept its expiry entry: its UTC date is one of these
            for (long d = date.toEpochDay() - 1; d <= date.toEpochDay() + 1; d++) {
                bucketDays.add(d);
            }
        }
        long oldest = HourBucket.epochDayOf(context.currentStreamTimeMs() / 3_600_000L) - retention.toDays() - 2;
        for (long epochDay : bucketDays) {
            if (epochDay >= oldest) {
                expiry.remove(HourBucket.expiryOfDay(epochDay, retention), BUCKET_DAY, bucketDayEntry(pid, epochDay));
            }
        }
        streaks.delete(pid);
        points.delete(pid);
        coaching.forget(pid);
        cheers.forget(pid);
        java.util.Set<String> programmes = social.forget(pid);
        context.forward(new Record<>(pid, new EngagementOutput.CheerReceived(pid, null), at));
        try (KeyValueIterator<String, ProgramRules> it = programs.all()) {
            it.forEachRemaining(kv -> programmes.add(kv.key));
        }
        for (String programId : programmes) {
            context.forward(new Record<>(
                    pid, new EngagementOutput.Intent(DonationIntent.erase(programId, pid, requestedAt)), at));
        }
        LOG.info("erasure: forgot a participant ({} days)", erasedDays.size());
    }

    /** Wall-clock check of the waiting erasures and readings: looks at them again; answers whether any still wait. */
    private boolean checkAwaiting(long now) {
        if (!pendingErasures().isEmpty()) {
            checkErasures(Instant.ofEpochMilli(now));
        }
        for (String pid : new ArrayList<>(awaitingProfiles().keySet())) {
            releaseAwaiting(pid, Instant.ofEpochMilli(now));
        }
        return !pendingErasures().isEmpty() || !awaitingProfiles().isEmpty();
    }

    /** The waiting readings by participant, in arrival order; read from the store once after (re)start. */
    private Map<String, Map<String, AwaitedReading>> awaitingProfiles() {
        if (awaitingByParticipant == null) {
            awaitingByParticipant = new LinkedHashMap<>();
            try (KeyValueIterator<String, AwaitedReading> it = awaiting.all()) {
                it.forEachRemaining(kv -> awaitingByParticipant
                        .computeIfAbsent(StoreKeys.split(kv.key).get(0), p -> new LinkedHashMap<>())
                        .put(kv.key, kv.value));
            }
        }
        return awaitingByParticipant;
    }

    private ProgramRules program(String programId) {
        ProgramRules rules = programs.get(programId);
        return rules != null ? rules : ProgramRules.defaults(programId);
    }

    /** Writes what a decision changed; a bucket that did not exist before gets its UTC date's expiry entry. */
    private void store(String pid, ProfileView profile, EngagementDecision decision) {
        decision.buckets().forEach((hour, bucket) -> {
            String key = StoreKeys.bucket(pid, hour);
            if (bucket.isEmpty()) {
                buckets.delete(key);
                return;
            }
            buckets.put(key, bucket);
            if (decision.newBuckets().contains(hour)) {
                long epochDay = HourBucket.epochDayOf(hour);
                expiry.addIfAbsent(
                        HourBucket.expiryOfDay(epochDay, retention), BUCKET_DAY, bucketDayEntry(pid, epochDay));
            }
        });
        decision.days().forEach((date, day) -> days.put(StoreKeys.day(pid, date), day));
        if (decision.streaks() != null) {
            streaks.put(pid, decision.streaks());
        }
        if (decision.points() != null) {
            points.put(pid, decision.points());
        }
    }

    /** The participant's stored state, as the rules read it. */
    private final class StoredState implements ParticipantState {
        private final String pid;

        StoredState(String pid) {
            this.pid = pid;
        }

        @Override
        public HourBucket bucket(long epochHour) {
            return buckets.get(StoreKeys.bucket(pid, epochHour));
        }

        @Override
        public DayState day(LocalDate date) {
            return days.get(StoreKeys.day(pid, date));
        }

        @Override
        public StreakBook streaks() {
            return streaks.get(pid);
        }

        @Override
        public PointsBalance points() {
            return points.get(pid);
        }
    }

    /** Deletes the hour buckets whose retention has passed in stream time ({@link HourBucket#expiryOfDay}). */
    private void purgeExpired(long streamTime) {
        int purged = expiry.expire(
                Instant.ofEpochMilli(streamTime),
                EXPIRY_BATCH,
                Map.of(
                        BUCKET_DAY,
                        this::purgeBucketDay,
                        Coaching.EXPIRY_KIND,
                        coaching::purgeDay,
                        Cheers.EXPIRY_KIND,
                        cheers::purge));
        if (purged > 0) {
            LOG.debug("purged {} expired bucket days up to {}", purged, Instant.ofEpochMilli(streamTime));
        }
    }

    /** The expiry index's entry for a participant's buckets of one UTC date ({@code participant NUL epochDay}). */
    private static String bucketDayEntry(String pid, long epochDay) {
        return StoreKeys.join(pid, Long.toString(epochDay));
    }

    /** Deletes the buckets of one participant's UTC date ({@code participant NUL epochDay}). */
    private void purgeBucketDay(String entry) {
        List<String> parts = StoreKeys.split(entry);
        long firstHour = Long.parseLong(parts.get(1)) * 24;
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, HourBucket> it = buckets.range(
                StoreKeys.bucket(parts.get(0), firstHour), StoreKeys.bucket(parts.get(0), firstHour + 23))) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        keys.forEach(buckets::delete);
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("?");
    }
}
