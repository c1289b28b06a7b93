package io.engage.streams.engagement;

import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.PointsReason;
import io.engage.avro.StreakEvent;
import io.engage.avro.StreakEventKind;
import io.engage.streams.EngagementOutput;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.DeviceHours;
import io.engage.streams.activity.HeartRateDay;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.activity.HourShares;
import io.engage.streams.activity.LocalDay;
import io.engage.streams.activity.LocalHour;
import io.engage.streams.activity.Micros;
import io.engage.streams.activity.ReadingState;
import io.engage.streams.activity.StepHistory;
import io.engage.streams.goals.DayGoals;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.points.PointsLedger;
import io.engage.streams.streaks.StreakBook;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engagement rules for one reading of one participant (docs/rules.md), as a pure function: the participant's
 * state and the reading in, the changed state and the events out. Identity and correction, the split over local
 * hours, the maximum over devices per hour, the delta to each local day it touches (goals frozen when a day opens),
 * goal crossings with their points, streak joins and milestones with theirs, donation thresholds, and the changed
 * days for {@code activity.daily}. No clock: "now" is when the reading was received, so reprocessing gives the same
 * events.
 */
public final class EngagementRules {
    /**
     * How far a heart-rate reading's instant can be from its local date's UTC midnight: every zone's offset is within
     * 15 hours, so a date's readings lie in the UTC hours from 15 hours before its UTC start to 15 after its UTC end.
     */
    private static final Duration ZONE_REACH = Duration.ofHours(15);

    private EngagementRules() {}

    /** What {@code input} changes, given the participant's {@code state}. */
    public static EngagementDecision decide(ParticipantState state, ReadingInput input) {
        return new Step(state, input).run();
    }

    /** The work of one reading: reads go through what this step has already changed. */
    private static final class Step {
        private final ParticipantState state;
        private final ReadingInput in;
        private final String pid;
        private final ZoneId zone;
        private final Map<Long, HourBucket> buckets = new HashMap<>();
        private final Set<Long> newBuckets = new HashSet<>();
        private final Map<LocalDate, DayState> days = new HashMap<>();
        private final List<EngagementOutput> outputs = new ArrayList<>();
        private StreakBook streaks;
        private PointsBalance points;

        Step(ParticipantState state, ReadingInput in) {
            this.state = state;
            this.in = in;
            this.pid = in.participantId();
            this.zone = in.reading().zone();
        }

        EngagementDecision run() {
            ReadingState now = in.reading();
            HourBucket home = bucket(HourBucket.hourOf(now.start()));
            ReadingState counted = home.reading(now.deviceId(), now.metric(), now.start(), now.end());
            switch (ReadingState.classify(counted, now)) {
                case STALE -> {
                    return EngagementDecision.NONE;
                }
                case REPEAT -> {
                    if (!now.receivedAfter(counted)) {
                        return EngagementDecision.NONE;
                    }
                    put(home.withReading(counted.withReceiptOf(now)));
                    return decision();
                }
                case NEW, REPLACE -> {
                    put(home.withReading(now));
                    count(counted, now);
                    return decision();
                }
                default -> throw new IllegalStateException();
            }
        }

        private EngagementDecision decision() {
            return new EngagementDecision(buckets, newBuckets, days, streaks, points, outputs);
        }

        /** Takes {@code old} out (if any) and counts {@code now}, then updates the days they touch. */
        private void count(ReadingState old, ReadingState now) {
            Metric metric = now.metric();
            SortedMap<LocalDate, Long> dayDeltas = new TreeMap<>();
            SortedMap<LocalDate, HeartRateDay.Summary> heartRates = new TreeMap<>();
            if (metric == Metric.heart_rate) {
                LocalDate date = LocalDay.dateOf(now.start(), now.zone());
                if (old == null) {
                    DayState day = day(date);
                    heartRates.put(
                            date,
                            HeartRateDay.Summary.plus(day == null ? null : day.heartRate(), Micros.of(now.value())));
                } else {
                    // a correction: min and max may move back, so the dates are summarised again from their readings
                    LocalDate oldDate = LocalDay.dateOf(old.start(), old.zone());
                    heartRates.put(oldDate, heartRateOf(oldDate));
                    heartRates.put(date, heartRateOf(date));
                }
            } else {
                SortedMap<LocalHour, Long> hourDeltas = new TreeMap<>();
                if (old != null) {
                    HourShares.of(old.start(), old.end(), old.value(), old.zone())
                            .forEach((h, v) -> hourDeltas.merge(h, -v, Long::sum));
                }
                HourShares.of(now.start(), now.end(), now.value(), now.zone())
                        .forEach((h, v) -> hourDeltas.merge(h, v, Long::sum));
                hourDeltas.forEach((hour, delta) ->
                        dayDeltas.merge(hour.date(), addToHour(metric, now.deviceId(), hour, delta), Long::sum));
            }
            Set<LocalDate> touched = new TreeSet<>(dayDeltas.keySet());
            touched.addAll(heartRates.keySet());

            // a day's goals are fixed from the history before this reading, even when it opens two days at once
            Map<LocalDate, DayState> before = new LinkedHashMap<>();
            Map<LocalDate, DayState> opened = new HashMap<>();
            for (LocalDate date : touched) {
                DayState day = day(date);
                before.put(date, day);
                if (day == null) {
                    DayGoals goals =
                            DayGoals.freeze(date, in.profile(), in.program(), StepHistory.before(this::day, date));
                    opened.put(date, DayState.open(zone.getId(), in.profile().programId(), goals, in.at()));
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
                    day = day.withUpdatedAt(in.at());
                    days.put(date, day);
                    outputs.add(new EngagementOutput.Daily(pid, date, day));
                }
            }
        }

        /** Adds {@code delta} to the device's value of the hour; returns how much the hour's maximum moved. */
        private long addToHour(Metric metric, String deviceId, LocalHour hour, long delta) {
            HourBucket b = bucket(HourBucket.hourOf(hour));
            DeviceHours was = b.hour(hour, metric);
            DeviceHours now = was.plus(deviceId, delta);
            put(b.withHour(hour, metric, now));
            return now.max() - was.max();
        }

        /** The heart-rate summary of {@code date} from the readings counted for it (null: none). */
        private HeartRateDay.Summary heartRateOf(LocalDate date) {
            Instant from = date.atStartOfDay(ZoneOffset.UTC).toInstant().minus(ZONE_REACH);
            Instant to =
                    date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(ZONE_REACH);
            HeartRateDay values = HeartRateDay.EMPTY;
            for (long h = HourBucket.hourOf(from); h <= HourBucket.hourOf(to); h++) {
                HourBucket b = buckets.containsKey(h) ? buckets.get(h) : state.bucket(h);
                if (b == null) {
                    continue;
                }
                for (ReadingState r : b.readings()) {
                    if (r.metric() == Metric.heart_rate
                            && LocalDay.dateOf(r.start(), r.zone()).equals(date)) {
                        values = values.add(Micros.of(r.value()));
                    }
                }
            }
            return values.summary();
        }

        /** Marks goals reached for the first time and emits their events; nothing is ever taken back. */
        private DayState checkGoals(LocalDate date, DayState day) {
            boolean late = date.isBefore(LocalDate.ofInstant(in.at(), zone));
            if (!day.stepsAchieved() && day.stepGoalReached()) {
                day = day.withStepsAchieved();
                String eventId = EventIds.goal(pid, date, Metric.steps);
                outputs.add(new EngagementOutput.Goal(
                        goal(eventId, date, Metric.steps, day.goals().steps(), day.steps(), late)));
                award(
                        EventIds.stepGoalPoints(pid, date),
                        PointsReason.STEP_GOAL,
                        in.program().stepGoalDayPoints(),
                        date,
                        eventId);
                streakDay(date);
            }
            if (!day.activeMinutesAchieved() && day.activeMinutesGoalReached()) {
                day = day.withActiveMinutesAchieved();
                String eventId = EventIds.goal(pid, date, Metric.active_minutes);
                outputs.add(new EngagementOutput.Goal(goal(
                        eventId, date, Metric.active_minutes, day.goals().activeMinutes(), day.activeMinutes(), late)));
                award(
                        EventIds.activeMinutesGoalPoints(pid, date),
                        PointsReason.ACTIVE_MINUTES_GOAL,
                        in.program().activeMinutesGoalDayPoints(),
                        date,
                        eventId);
            }
            return day;
        }

        private GoalAchieved goal(
                String eventId, LocalDate date, Metric metric, double goal, double total, boolean late) {
            return GoalAchieved.newBuilder()
                    .setEventId(eventId)
                    .setParticipantId(pid)
                    .setProgramId(in.profile().programId())
                    .setDate(date)
                    .setMetric(metric)
                    .setGoal(goal)
                    .setTotalAtCrossing(total)
                    .setLate(late)
                    .setAt(in.at())
                    .build();
        }

        /** A new step-goal day: joins and milestones of the participant's streaks, with milestone points. */
        private void streakDay(LocalDate date) {
            StreakBook.Added added = streaks()
                    .addGoalDay(date, in.profile().pausedDates(), in.program().milestones());
            streaks = added.book();
            if (added.joined() != null) {
                outputs.add(new EngagementOutput.Streak(streakEvent(
                        EventIds.streakJoined(pid, added.joined().start(), date),
                        StreakEventKind.JOINED,
                        added.joined(),
                        null)));
            }
            for (StreakBook.Milestone m : added.milestones()) {
                int length = m.award().milestone();
                String eventId = EventIds.streakMilestone(pid, m.award().streakStart(), length);
                outputs.add(new EngagementOutput.Streak(
                        streakEvent(eventId, StreakEventKind.MILESTONE, m.streak(), length)));
                award(
                        EventIds.milestonePoints(pid, m.award().streakStart(), length),
                        PointsReason.STREAK_MILESTONE,
                        in.program().milestonePoints().getOrDefault(length, 0),
                        m.streak().end(),
                        eventId);
            }
        }

        private StreakEvent streakEvent(String eventId, StreakEventKind kind, StreakBook.Streak s, Integer milestone) {
            return StreakEvent.newBuilder()
                    .setEventId(eventId)
                    .setParticipantId(pid)
                    .setKind(kind)
                    .setStreakStart(s.start())
                    .setStreakEnd(s.end())
                    .setLength(s.length())
                    .setMilestone(milestone)
                    .setAt(in.at())
                    .build();
        }

        /** One award (none for a rule worth zero points), and a donation intent for each threshold it passes. */
        private void award(String awardId, PointsReason reason, int amount, LocalDate date, String sourceEventId) {
            PointsLedger.Awarded awarded = PointsLedger.awardWithThresholds(
                    points(), awardId, in.profile(), in.program(), reason, amount, date, sourceEventId, in.at());
            if (!awarded.outputs().isEmpty()) {
                outputs.addAll(awarded.outputs());
                points = awarded.balance();
            }
        }

        private HourBucket bucket(long hour) {
            HourBucket b = buckets.get(hour);
            if (b == null) {
                b = state.bucket(hour);
                if (b == null) {
                    b = HourBucket.empty(hour);
                    newBuckets.add(hour);
                }
            }
            return b;
        }

        private void put(HourBucket b) {
            buckets.put(b.epochHour(), b);
        }

        private DayState day(LocalDate date) {
            DayState d = days.get(date);
            return d != null ? d : state.day(date);
        }

        private StreakBook streaks() {
            if (streaks == null) {
                StreakBook stored = state.streaks();
                streaks = stored == null ? StreakBook.EMPTY : stored;
            }
            return streaks;
        }

        private PointsBalance points() {
            if (points == null) {
                PointsBalance stored = state.points();
                points = stored == null ? PointsBalance.ZERO : stored;
            }
            return points;
        }
    }
}
