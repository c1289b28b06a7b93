package io.engage.streams;

import io.engage.avro.Metric;
import io.engage.avro.NudgeType;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.activity.LocalHour;
import io.engage.streams.activity.Micros;
import io.engage.streams.activity.StepHistory;
import io.engage.streams.activity.Zones;
import io.engage.streams.coaching.NudgeDue;
import io.engage.streams.coaching.NudgeFacts;
import io.engage.streams.coaching.NudgeRecord;
import io.engage.streams.coaching.NudgeRules;
import io.engage.streams.coaching.NudgeSlot;
import io.engage.streams.goals.DayGoals;
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
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumbing of the coaching rules ({@link NudgeRules}, docs/coaching.md) inside the engagement task: the schedule of
 * each participant's next timed nudge, indexed by due time, the record of what became of each due nudge, and the
 * figures a nudge is decided on, read from the engagement stores. It decides nothing itself.
 *
 * <p>A participant joins the schedule with their first reading in this task and stays in it, one entry at a time
 * (each due entry is replaced by the next slot), until their profile is gone or without consent. The schedule is a
 * logged store keyed by {@code dueMillis NUL participant}, so a wall-clock check reads from its first key and stops at
 * now: its cost follows the due work, not the number of participants.
 */
final class Coaching {
    private static final Logger LOG = LoggerFactory.getLogger(Coaching.class);

    /** A timed slot found more than this late (the application was down) is skipped, not sent late. */
    static final Duration MISSED_AFTER = Duration.ofMinutes(15);
    /**
     * How long the record of a local date's nudges is kept after the date's end (UTC), for the nudges query: as long as
     * {@code readings.normalized} keeps readings by default.
     */
    static final Duration RECORDS_KEPT = Duration.ofDays(35);
    /** The expiry index's kind for a participant's nudge records of one local date. */
    static final String EXPIRY_KIND = "nudges";
    /** At most this many due entries are handled per check; the rest wait for the next one. */
    static final int BATCH = 10_000;

    private final KeyValueStore<String, NudgeDue> schedule;
    private final KeyValueStore<String, NudgeRecord> nudges;
    private final KeyValueStore<String, ProfileView> profiles;
    private final Function<String, ProgramRules> programs;
    private final KeyValueStore<String, DayState> days;
    private final KeyValueStore<String, HourBucket> buckets;
    private final KeyValueStore<String, StreakBook> streaks;
    private final Consumer<KeyValue<String, io.engage.avro.Nudge>> send;
    private final MeterRegistry metrics;
    private final ExpiryIndex expiry;
    /** Participants in {@link #schedule}, with their entry's due time (millis); read from it once after (re)start. */
    private Map<String, Long> scheduled;

    /** Store entries the last {@link #fire} visited (for the scale test). */
    int lastVisited;

    Coaching(
            KeyValueStore<String, NudgeDue> schedule,
            KeyValueStore<String, NudgeRecord> nudges,
            KeyValueStore<String, ProfileView> profiles,
            Function<String, ProgramRules> programs,
            KeyValueStore<String, DayState> days,
            KeyValueStore<String, HourBucket> buckets,
            KeyValueStore<String, StreakBook> streaks,
            ExpiryIndex expiry,
            MeterRegistry metrics,
            Consumer<KeyValue<String, io.engage.avro.Nudge>> send) {
        this.expiry = expiry;
        this.metrics = metrics;
        this.schedule = schedule;
        this.nudges = nudges;
        this.profiles = profiles;
        this.programs = programs;
        this.days = days;
        this.buckets = buckets;
        this.streaks = streaks;
        this.send = send;
    }

    /** Key of a schedule entry: the due instant as 16 hex digits, then the participant. */
    static String scheduleKey(Instant due, String participantId) {
        return StoreKeys.join(StoreKeys.hex16(due.toEpochMilli()), participantId);
    }

    /** Key of a nudge record: participant, local date, due instant (16 hex digits), type, slot. */
    static String nudgeKey(String participantId, NudgeSlot slot) {
        return StoreKeys.join(
                participantId,
                slot.date().toString(),
                StoreKeys.hex16(slot.dueAt().toEpochMilli()),
                slot.type().name(),
                slot.slot());
    }

    /** A counted reading: the participant joins the schedule if not in it (zone: the profile's, else the reading's). */
    void seen(String participantId, ProfileView profile, ZoneId readingZone, Instant now) {
        if (scheduled().containsKey(participantId)) {
            return;
        }
        ZoneId zone = profile.zone().orElse(readingZone);
        NudgeSlot next = programs.apply(profile.programId()).nudges().next(now, zone);
        schedule.put(scheduleKey(next.dueAt(), participantId), new NudgeDue(next, zone.getId()));
        scheduled.put(participantId, next.dueAt().toEpochMilli());
    }

    /** The step goal of today was reached by a reading received at {@code at}: a celebration, once per day. */
    void celebrate(String participantId, ProfileView profile, LocalDate date, Instant at, int milestone) {
        ZoneId zone = profile.zone().orElse(ZoneId.of("UTC"));
        DayState day = days.get(StoreKeys.day(participantId, date));
        if (day != null && !day.zoneId().isBlank()) {
            zone = Zones.of(day.zoneId());
        }
        decide(
                participantId,
                profile,
                programs.apply(profile.programId()),
                new NudgeSlot(NudgeType.CELEBRATION, date, NudgeSlot.CELEBRATION_SLOT, at),
                zone,
                at,
                milestone);
    }

    /** Handles the timed nudges due up to {@code now}, oldest first; returns how many were due. */
    int fire(Instant now) {
        List<KeyValue<String, NudgeDue>> due = new ArrayList<>();
        lastVisited = 0;
        try (KeyValueIterator<String, NudgeDue> it =
                schedule.range(scheduleKey(Instant.EPOCH, ""), scheduleKey(now.plusMillis(1), ""))) {
            while (it.hasNext() && due.size() < BATCH) {
                lastVisited++;
                KeyValue<String, NudgeDue> kv = it.next();
                if (kv.value.slot().dueAt().isAfter(now)) {
                    break;
                }
                due.add(kv);
            }
        }
        for (KeyValue<String, NudgeDue> kv : due) {
            schedule.delete(kv.key);
            String pid = StoreKeys.split(kv.key).get(1);
            fireOne(pid, kv.value, now);
        }
        return due.size();
    }

    private void fireOne(String pid, NudgeDue entry, Instant now) {
        ProfileView profile = profiles.get(pid);
        if (profile == null || !profile.consent()) {
            // erased or consent withdrawn: nothing, and no more schedule (a new reading with consent starts it again)
            scheduled().remove(pid);
            return;
        }
        ZoneId zone = profile.zone().orElse(entry.zone());
        ProgramRules program = programs.apply(profile.programId());
        NudgeSlot slot = entry.slot();
        if (slot.dueAt().isBefore(now.minus(MISSED_AFTER))) {
            LOG.debug(
                    "skipping the nudge slot {} of participant '{}': found {} late",
                    slot,
                    pid,
                    Duration.between(slot.dueAt(), now));
        } else if (!program.nudges().has(slot, zone)) {
            LOG.debug("skipping the nudge slot {} of participant '{}': the programme or zone changed", slot, pid);
        } else {
            decide(pid, profile, program, slot, zone, now, 0);
        }
        NudgeSlot next = program.nudges().next(slot.dueAt(), zone);
        if (next.dueAt().isBefore(now.minus(MISSED_AFTER))) {
            next = program.nudges().next(now, zone);
        }
        schedule.put(scheduleKey(next.dueAt(), pid), new NudgeDue(next, zone.getId()));
        scheduled().put(pid, next.dueAt().toEpochMilli());
    }

    /**
     * Lets the rules decide a due slot once, records the outcome and sends what is to be sent ({@code profile}: the
     * participant's, as this instance has it now).
     */
    private void decide(
            String pid,
            ProfileView profile,
            ProgramRules program,
            NudgeSlot slot,
            ZoneId zone,
            Instant now,
            int milestone) {
        if (decided(pid, slot)) {
            return; // a nudge is never sent twice
        }
        String key = nudgeKey(pid, slot);
        NudgeRules.Decision d =
                NudgeRules.decide(pid, slot, profile, zone, facts(pid, profile, program, slot, zone, milestone), now);
        if (d instanceof NudgeRules.Send s) {
            keep(pid, slot, key, s.record());
            send.accept(KeyValue.pair(pid, s.nudge()));
            count(slot.type(), "sent", "none");
        } else if (d instanceof NudgeRules.Suppress s) {
            keep(pid, slot, key, s.record());
            count(slot.type(), "suppressed", s.record().reason().name());
        }
    }

    /**
     * {@code engage_nudges_total{type,outcome,reason}} (docs/coaching.md). A metric, not a ledger: a transaction that
     * aborts after the count is counted again when its records are processed again.
     */
    private void count(NudgeType type, String outcome, String reason) {
        metrics.counter(METRIC, "type", type.name(), "outcome", outcome, "reason", reason)
                .increment();
    }

    /** The nudge counter's name; Prometheus shows it as {@code engage_nudges_total}. */
    static final String METRIC = "engage.nudges";

    private NudgeFacts facts(
            String pid, ProfileView profile, ProgramRules program, NudgeSlot slot, ZoneId zone, int milestone) {
        LocalDate date = slot.date();
        DayState day = days.get(StoreKeys.day(pid, date));
        int goal = day != null
                ? day.goals().steps()
                : DayGoals.freeze(
                                date, profile, program, StepHistory.before(d -> days.get(StoreKeys.day(pid, d)), date))
                        .steps();
        long hourSteps =
                slot.type() == NudgeType.INACTIVITY ? hourSteps(pid, date, LocalTime.parse(slot.slot()), zone) : 0;
        StreakBook book = streaks.get(pid);
        int streak = (book == null ? StreakBook.EMPTY : book).current(date, profile.pausedDates());
        return new NudgeFacts(
                day == null ? 0 : day.steps(),
                goal,
                day != null && day.stepsAchieved(),
                hourSteps,
                streak,
                milestone,
                sentOn(pid, date));
    }

    /** Steps of the local hour {@code time} falls in, the most any device counted. */
    private long hourSteps(String pid, LocalDate date, LocalTime time, ZoneId zone) {
        ZonedDateTime start = ZonedDateTime.ofLocal(date.atTime(time.getHour(), 0), zone, null);
        LocalHour hour = new LocalHour(start.toLocalDateTime().withMinute(0), start.getOffset());
        HourBucket bucket = buckets.get(StoreKeys.bucket(pid, HourBucket.hourOf(hour)));
        return bucket == null
                ? 0
                : Micros.toWhole(bucket.hour(hour, Metric.steps).max());
    }

    /** Keeps a decided slot's record, and when the records of its date expire ({@link #RECORDS_KEPT}). */
    private void keep(String pid, NudgeSlot slot, String key, NudgeRecord record) {
        nudges.put(key, record);
        expiry.addIfAbsent(
                recordsExpireAt(slot.date()),
                EXPIRY_KIND,
                StoreKeys.join(pid, slot.date().toString()));
    }

    /** Deletes the nudge records of one participant's local date ({@code participant NUL date}), when expired. */
    void purgeDay(String entry) {
        String prefix = entry + StoreKeys.SEP;
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, NudgeRecord> it = nudges.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(nudges::delete);
    }

    /**
     * Whether the slot's type and label were decided on its date before, whatever its due instant (a celebration's is
     * the time of the reading that reached the goal or milestone): a few records a day, scanned by the date's prefix.
     */
    private boolean decided(String pid, NudgeSlot slot) {
        String prefix = StoreKeys.join(pid, slot.date().toString()) + StoreKeys.SEP;
        try (KeyValueIterator<String, NudgeRecord> it = nudges.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                NudgeRecord r = it.next().value;
                if (r.type() == slot.type() && r.slot().equals(slot.slot())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Nudges sent to the participant on {@code date} (the daily cap counts only these). */
    private int sentOn(String pid, LocalDate date) {
        int sent = 0;
        String prefix = StoreKeys.join(pid, date.toString()) + StoreKeys.SEP;
        try (KeyValueIterator<String, NudgeRecord> it = nudges.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                if (it.next().value.sent()) {
                    sent++;
                }
            }
        }
        return sent;
    }

    private Map<String, Long> scheduled() {
        if (scheduled == null) {
            scheduled = new HashMap<>();
            try (KeyValueIterator<String, NudgeDue> it = schedule.all()) {
                it.forEachRemaining(kv -> scheduled.put(
                        StoreKeys.split(kv.key).get(1), kv.value.slot().dueAt().toEpochMilli()));
            }
        }
        return scheduled;
    }

    /**
     * Forgets an erased participant (docs/privacy.md): their schedule entry and their nudge records, with the records'
     * expiry entries.
     */
    void forget(String pid) {
        Long due = scheduled().remove(pid);
        if (due != null) {
            schedule.delete(scheduleKey(Instant.ofEpochMilli(due), pid));
        }
        java.util.Set<String> dates = new java.util.TreeSet<>();
        for (var kv : PrefixDelete.delete(nudges, StoreKeys.participantPrefix(pid))) {
            dates.add(StoreKeys.split(kv.key).get(1));
        }
        for (String date : dates) {
            expiry.remove(recordsExpireAt(LocalDate.parse(date)), EXPIRY_KIND, StoreKeys.join(pid, date));
        }
    }

    /** When the nudge records of a local date expire. */
    private static Instant recordsExpireAt(LocalDate date) {
        return date.plusDays(1)
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant()
                .plus(RECORDS_KEPT);
    }
}
