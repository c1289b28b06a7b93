package io.engage.streams;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.avro.ParticipantDay;
import io.engage.avro.PointsReason;
import io.engage.avro.StreakEvent;
import io.engage.avro.StreakEventKind;
import io.engage.schemas.processing.RecordDecoder;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.DeviceHours;
import io.engage.streams.activity.HeartRateDay;
import io.engage.streams.activity.HourShares;
import io.engage.streams.activity.LocalDay;
import io.engage.streams.activity.LocalHour;
import io.engage.streams.activity.Micros;
import io.engage.streams.activity.ReadingState;
import io.engage.streams.activity.StepHistory;
import io.engage.streams.goals.DayGoals;
import io.engage.streams.philanthropy.DonationIntent;
import io.engage.streams.philanthropy.DonationThresholds;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.points.PointsLedger;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.state.ExpiryIndex;
import io.engage.streams.state.StoreKeys;
import io.engage.streams.streaks.StreakBook;

/**
 * One step per normalised reading (SPEC sections 3 and 4): identity and correction, split over local hours, maximum
 * over devices per hour, the delta applied to each local day it touches (goals frozen when a day opens), goal
 * crossings with their points, streak milestones with theirs, and the changed days on {@code activity.daily}. The
 * rules live in the domain classes; this class reads and writes the stores and forwards what they decide.
 *
 * <p>"Now" is the record's timestamp (when the reading was received), never a wall clock: the outputs of a record are
 * the same whenever it is processed, so exactly-once reprocessing and replays give identical events. The one wall-clock
 * schedule is {@link #TEAM_STEPS_FLUSH_INTERVAL}: it decides when a team's steps reach the donation ledger, not how many.
 */
final class EngagementProcessor implements Processor<String, byte[], String, EngagementOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(EngagementProcessor.class);

    /** How often (in stream time) expired per-reading, per-hour and heart-rate state is purged. */
    static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(5);
    /** At most this many expired entries are purged per run; the rest wait for the next. */
    static final int EXPIRY_BATCH = 10_000;

    /**
     * How often (wall clock) the steps of each team are sent to the donation ledger: one record per team and task
     * instead of one per reading. Wall clock, so the last steps are sent even when no reading follows.
     */
    static final Duration TEAM_STEPS_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final RecordDecoder<NormalizedReading> decoder;
    private final Duration retention;

    private ProcessorContext<String, EngagementOutput> context;
    private KeyValueStore<String, ProfileView> profiles;
    private KeyValueStore<String, ProgramRules> programs;
    private KeyValueStore<String, ReadingState> readings;
    private KeyValueStore<String, DeviceHours> hours;
    private KeyValueStore<String, HeartRateDay> heartRate;
    private KeyValueStore<String, DayState> days;
    private KeyValueStore<String, StreakBook> streaks;
    private KeyValueStore<String, PointsBalance> points;
    private KeyValueStore<String, Long> teamSteps;
    private ExpiryIndex expiry;

    /**
     * @param retention how long after a reading's end (or an hour's end) its state is kept: the late horizon plus a
     *                  margin, so nothing that can still be corrected is forgotten
     */
    EngagementProcessor(RecordDecoder<NormalizedReading> decoder, Duration retention) {
        this.decoder = decoder;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, EngagementOutput> context) {
        this.context = context;
        profiles = context.getStateStore(EngagementStores.PROFILES);
        programs = context.getStateStore(EngagementStores.PROGRAMS);
        readings = context.getStateStore(EngagementStores.READINGS);
        hours = context.getStateStore(EngagementStores.HOURS);
        heartRate = context.getStateStore(EngagementStores.HEART_RATE);
        days = context.getStateStore(EngagementStores.DAYS);
        streaks = context.getStateStore(EngagementStores.STREAKS);
        points = context.getStateStore(EngagementStores.POINTS);
        teamSteps = context.getStateStore(EngagementStores.TEAM_STEPS);
        expiry = new ExpiryIndex(context.getStateStore(EngagementStores.EXPIRY));
        context.schedule(EXPIRY_INTERVAL, PunctuationType.STREAM_TIME, this::purgeExpired);
        context.schedule(TEAM_STEPS_FLUSH_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::flushTeamSteps);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        NormalizedReading r = decoder.decode(record.headers(), record.value(),
                reason -> LOG.error("skipping an undecodable readings.normalized record with key '{}' at {}: {}",
                        record.key(), where(), reason));
        if (r == null) {
            return;
        }
        String pid = r.getParticipantId();
        if (record.key() != null && !record.key().equals(pid)) {
            LOG.warn("reading at {} keyed '{}' belongs to participant '{}': counted for the participant", where(),
                    record.key(), pid);
        }
        ProfileView profile = profiles.get(pid);
        if (profile == null || !profile.consent()) {
            // erased, withdrawn or unknown: no new outputs (SPEC section 8)
            LOG.debug("dropping a reading of participant '{}' at {}: no consenting profile", pid, where());
            return;
        }
        if (!plausible(r)) {
            LOG.error("skipping an invalid normalised reading at {}: {}", where(), r);
            return;
        }
        ZoneId zone = LocalDay.zoneFor(r.getZoneId(), r.getOffsetSeconds());
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        ReadingState incoming = new ReadingState(r.getDeviceId(), r.getMetric(), r.getStart(), r.getEnd(), r.getValue(),
                zone.getId(), r.getReceivedAt(), offset);
        String key = incoming.key(pid);
        ReadingState counted = readings.get(key);
        switch (ReadingState.classify(counted, incoming)) {
            case STALE -> {
                return;
            }
            case REPEAT -> {
                if (incoming.receivedAfter(counted)) {
                    readings.put(key, counted.withReceiptOf(incoming));
                }
                return;
            }
            case NEW -> {
                readings.put(key, incoming);
                expiry.add(incoming.end().plus(retention), EngagementStores.READINGS, key);
                counted = null;
            }
            case REPLACE -> readings.put(key, incoming);
        }
        ProgramRules program = program(profile.programId());
        new Step(pid, profile, program, zone, Instant.ofEpochMilli(record.timestamp())).apply(counted, incoming);
    }

    /** What validation upstream guarantees; checked again because a bad value would corrupt totals for good. */
    private static boolean plausible(NormalizedReading r) {
        double v = r.getValue();
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0 || r.getEnd().isBefore(r.getStart())) {
            return false;
        }
        return r.getMetric() == Metric.heart_rate || r.getEnd().isAfter(r.getStart());
    }

    private ProgramRules program(String programId) {
        ProgramRules rules = programs.get(programId);
        return rules != null ? rules : ProgramRules.defaults(programId);
    }

    /** The work one reading causes for one participant. */
    private final class Step {
        private final String pid;
        private final ProfileView profile;
        private final ProgramRules program;
        private final ZoneId zone;
        private final Instant at;

        Step(String pid, ProfileView profile, ProgramRules program, ZoneId zone, Instant at) {
            this.pid = pid;
            this.profile = profile;
            this.program = program;
            this.zone = zone;
            this.at = at;
        }

        /** Takes {@code old} out (if any) and counts {@code now}, then updates the days they touch. */
        void apply(ReadingState old, ReadingState now) {
            Metric metric = now.metric();
            SortedMap<LocalDate, Long> dayDeltas = new TreeMap<>();
            SortedMap<LocalDate, HeartRateDay.Summary> heartRates = new TreeMap<>();
            if (metric == Metric.heart_rate) {
                if (old != null) {
                    LocalDate d = LocalDay.dateOf(old.start(), old.zone());
                    heartRates.put(d, updateHeartRate(d, h -> h.remove(Micros.of(old.value()))));
                }
                LocalDate d = LocalDay.dateOf(now.start(), now.zone());
                heartRates.put(d, updateHeartRate(d, h -> h.add(Micros.of(now.value()))));
            } else {
                SortedMap<LocalHour, Long> hourDeltas = new TreeMap<>();
                if (old != null) {
                    HourShares.of(old.start(), old.end(), old.value(), old.zone())
                            .forEach((h, v) -> hourDeltas.merge(h, -v, Long::sum));
                }
                HourShares.of(now.start(), now.end(), now.value(), now.zone())
                        .forEach((h, v) -> hourDeltas.merge(h, v, Long::sum));
                hourDeltas.forEach((hour, delta) ->
                        dayDeltas.merge(hour.date(), updateHour(metric, now.deviceId(), hour, delta), Long::sum));
            }
            if (metric == Metric.steps) {
                addTeamSteps(dayDeltas);
            }
            Set<LocalDate> touched = new TreeSet<>(dayDeltas.keySet());
            touched.addAll(heartRates.keySet());

            // a day's goals are fixed from the history before this reading, even when it opens two days at once
            Map<LocalDate, DayState> before = new TreeMap<>();
            Map<LocalDate, DayState> opened = new TreeMap<>();
            for (LocalDate date : touched) {
                DayState day = days.get(StoreKeys.day(pid, date));
                before.put(date, day);
                if (day == null) {
                    DayGoals goals = DayGoals.freeze(date, profile, program, StepHistory.before(days, pid, date));
                    opened.put(date, DayState.open(zone.getId(), profile.programId(), goals, at));
                }
            }
            for (LocalDate date : touched) {
                DayState was = before.get(date);
                DayState day = was != null ? was : opened.get(date);
                day = metric == Metric.heart_rate
                        ? day.withHeartRate(heartRates.get(date))
                        : day.plus(metric, dayDeltas.getOrDefault(date, 0L));
                day = checkGoals(date, day);
                if (was == null || !day.sameAs(was)) {
                    day = day.withUpdatedAt(at);
                    days.put(StoreKeys.day(pid, date), day);
                    forward(new EngagementOutput.Daily(new ParticipantDay(pid, date), day.toAvro(pid, date)));
                }
            }
        }

        /** The participant's step change (micro-units per day) joins their team's steps still to be flushed. */
        private void addTeamSteps(Map<LocalDate, Long> dayDeltas) {
            if (profile.teamId() == null || profile.teamId().isBlank()) {
                return;
            }
            long micros = 0;
            for (long d : dayDeltas.values()) {
                micros += d;
            }
            if (micros != 0) {
                String key = StoreKeys.join(profile.programId(), profile.teamId());
                Long pending = teamSteps.get(key);
                teamSteps.put(key, (pending == null ? 0 : pending) + micros);
            }
        }

        /** Adds {@code delta} to the device's value of the hour; returns how much the hour's maximum moved. */
        private long updateHour(Metric metric, String deviceId, LocalHour hour, long delta) {
            String key = StoreKeys.join(pid, metric.name(), hour.key());
            DeviceHours was = hours.get(key);
            if (was == null) {
                was = DeviceHours.EMPTY;
                expiry.add(hour.label().plusHours(1).toInstant(hour.offset()).plus(retention), EngagementStores.HOURS, key);
            }
            DeviceHours now = was.plus(deviceId, delta);
            if (now.isEmpty()) {
                hours.delete(key);
            } else {
                hours.put(key, now);
            }
            return now.max() - was.max();
        }

        private HeartRateDay.Summary updateHeartRate(LocalDate date, UnaryOperator<HeartRateDay> change) {
            String key = StoreKeys.day(pid, date);
            HeartRateDay was = heartRate.get(key);
            if (was == null) {
                was = HeartRateDay.EMPTY;
                // the latest instant any zone's local date can end at, plus the retention
                expiry.add(date.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant().plus(retention),
                        EngagementStores.HEART_RATE, key);
            }
            HeartRateDay now = change.apply(was);
            if (now.isEmpty()) {
                heartRate.delete(key);
            } else {
                heartRate.put(key, now);
            }
            return now.summary();
        }

        /** Marks goals reached for the first time and emits their events; nothing is ever taken back. */
        private DayState checkGoals(LocalDate date, DayState day) {
            boolean late = date.isBefore(LocalDate.ofInstant(at, zone));
            if (!day.stepsAchieved() && day.stepGoalReached()) {
                day = day.withStepsAchieved();
                String eventId = goalEventId(date, Metric.steps);
                forward(new EngagementOutput.Goal(goal(eventId, date, Metric.steps, day.goals().steps(), day.steps(), late)));
                award(PointsLedger.stepGoalId(pid, date), PointsReason.STEP_GOAL, program.stepGoalDayPoints(), date, eventId);
                streakDay(date);
            }
            if (!day.activeMinutesAchieved() && day.activeMinutesGoalReached()) {
                day = day.withActiveMinutesAchieved();
                String eventId = goalEventId(date, Metric.active_minutes);
                forward(new EngagementOutput.Goal(goal(eventId, date, Metric.active_minutes, day.goals().activeMinutes(),
                        day.activeMinutes(), late)));
                award(PointsLedger.activeMinutesGoalId(pid, date), PointsReason.ACTIVE_MINUTES_GOAL,
                        program.activeMinutesGoalDayPoints(), date, eventId);
            }
            return day;
        }

        private String goalEventId(LocalDate date, Metric metric) {
            return "goal:" + pid + ":" + date + ":" + metric;
        }

        private GoalAchieved goal(String eventId, LocalDate date, Metric metric, double goal, double total, boolean late) {
            return GoalAchieved.newBuilder().setEventId(eventId).setParticipantId(pid).setProgramId(profile.programId())
                    .setDate(date).setMetric(metric).setGoal(goal).setTotalAtCrossing(total).setLate(late).setAt(at).build();
        }

        /** A new step-goal day: joins and milestones of the participant's streaks, with milestone points. */
        private void streakDay(LocalDate date) {
            StreakBook book = streaks.get(pid);
            if (book == null) {
                book = new StreakBook(List.of(), List.of());
            }
            Set<LocalDate> paused = profile.pausedDates();
            boolean joins = book.wouldJoin(date, paused);
            List<StreakBook.Milestone> reached = book.addGoalDay(date, paused, program.milestones());
            streaks.put(pid, book);
            if (joins) {
                StreakBook.Streak s = book.streakContaining(date, paused);
                forward(new EngagementOutput.Streak(streakEvent("streak:" + pid + ":" + s.start() + ":JOINED:" + date,
                        StreakEventKind.JOINED, s, null)));
            }
            for (StreakBook.Milestone m : reached) {
                int days = m.award().milestone();
                String eventId = "streak:" + pid + ":" + m.award().streakStart() + ":" + days;
                forward(new EngagementOutput.Streak(streakEvent(eventId, StreakEventKind.MILESTONE, m.streak(), days)));
                award(PointsLedger.milestoneId(pid, m.award().streakStart(), days), PointsReason.STREAK_MILESTONE,
                        program.milestonePoints().getOrDefault(days, 0), m.streak().end(), eventId);
            }
        }

        private StreakEvent streakEvent(String eventId, StreakEventKind kind, StreakBook.Streak s, Integer milestone) {
            return StreakEvent.newBuilder().setEventId(eventId).setParticipantId(pid).setKind(kind)
                    .setStreakStart(s.start()).setStreakEnd(s.end()).setLength(s.length()).setMilestone(milestone)
                    .setAt(at).build();
        }

        /** One award (none for a rule worth zero points), added to the participant's balance. */
        private void award(String awardId, PointsReason reason, int amount, LocalDate date, String sourceEventId) {
            if (amount == 0) {
                return;
            }
            PointsBalance balance = points.get(pid);
            balance = (balance == null ? PointsBalance.ZERO : balance).plus(amount);
            forward(new EngagementOutput.Points(PointsLedger.award(awardId, pid, profile.programId(), reason, amount, date,
                    sourceEventId, at)));
            long passed = DonationThresholds.passed(balance.total(), program.pointsPerDonation());
            for (long n = balance.donationThresholds() + 1; n <= passed; n++) {
                forward(new EngagementOutput.Intent(DonationIntent.participant(profile.programId(), pid, n,
                        profile.beneficiary(), at)));
            }
            points.put(pid, balance.withDonationThresholds(Math.max(passed, balance.donationThresholds())));
        }

        private void forward(EngagementOutput out) {
            context.forward(new Record<>(pid, out, at.toEpochMilli()));
        }
    }

    /**
     * Sends each team's steps since the last flush to the donation ledger (whole steps; the fraction stays pending),
     * keyed by the team for now: the topology re-keys intents by programme.
     */
    private void flushTeamSteps(long now) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = teamSteps.all()) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        for (var kv : due) {
            long steps = Math.floorDiv(kv.value, Micros.ONE);
            long rest = kv.value - steps * Micros.ONE;
            if (rest == 0) {
                teamSteps.delete(kv.key);
            } else if (steps != 0) {
                teamSteps.put(kv.key, rest);
            }
            if (steps != 0) {
                List<String> parts = StoreKeys.split(kv.key);
                context.forward(new Record<>(parts.get(1), new EngagementOutput.Intent(
                        DonationIntent.teamSteps(parts.get(0), parts.get(1), steps, Instant.ofEpochMilli(now))), now));
            }
        }
    }

    /** Deletes per-reading, per-hour and heart-rate state whose retention has passed (in stream time). */
    private void purgeExpired(long streamTime) {
        int purged = expiry.purge(Instant.ofEpochMilli(streamTime), EXPIRY_BATCH, Map.of(
                EngagementStores.READINGS, readings,
                EngagementStores.HOURS, hours,
                EngagementStores.HEART_RATE, heartRate));
        if (purged > 0) {
            LOG.debug("purged {} expired entries up to {}", purged, Instant.ofEpochMilli(streamTime));
        }
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
