package io.engage.streams.activity;

import io.engage.avro.DailyActivity;
import io.engage.avro.HeartRateSummary;
import io.engage.avro.Metric;
import io.engage.streams.goals.DayGoals;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A participant's local day: cumulative totals (millionths), the heart-rate summary, the goals frozen at the day's
 * first reading and whether each goal was reached. Kept after the per-reading and per-hour state expires.
 *
 * @param zoneId    the zone the day was first computed in
 * @param stepsSeen whether any step reading touched the day (the adaptive goal averages only days with step data)
 */
public record DayState(
        String zoneId,
        String programId,
        long stepsMicros,
        long distanceMicros,
        long activeMinutesMicros,
        long caloriesMicros,
        boolean stepsSeen,
        HeartRateDay.Summary heartRate,
        DayGoals goals,
        boolean stepsAchieved,
        boolean activeMinutesAchieved,
        Instant updatedAt) {
    public DayState {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(goals, "goals");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new day with its goals fixed now. */
    public static DayState open(String zoneId, String programId, DayGoals goals, Instant at) {
        return new DayState(zoneId, programId, 0, 0, 0, 0, false, null, goals, false, false, at);
    }

    /** With {@code delta} millionths added to a cumulative metric's total. */
    public DayState plus(Metric metric, long delta) {
        return new DayState(
                zoneId,
                programId,
                stepsMicros + (metric == Metric.steps ? delta : 0),
                distanceMicros + (metric == Metric.distance ? delta : 0),
                activeMinutesMicros + (metric == Metric.active_minutes ? delta : 0),
                caloriesMicros + (metric == Metric.calories ? delta : 0),
                stepsSeen || metric == Metric.steps,
                heartRate,
                goals,
                stepsAchieved,
                activeMinutesAchieved,
                updatedAt);
    }

    public DayState withHeartRate(HeartRateDay.Summary summary) {
        return new DayState(
                zoneId,
                programId,
                stepsMicros,
                distanceMicros,
                activeMinutesMicros,
                caloriesMicros,
                stepsSeen,
                summary,
                goals,
                stepsAchieved,
                activeMinutesAchieved,
                updatedAt);
    }

    /** With the step goal marked reached (a reached goal is never taken back). */
    public DayState withStepsAchieved() {
        return withAchieved(true, activeMinutesAchieved);
    }

    /** With the active-minutes goal marked reached. */
    public DayState withActiveMinutesAchieved() {
        return withAchieved(stepsAchieved, true);
    }

    private DayState withAchieved(boolean steps, boolean activeMinutes) {
        return new DayState(
                zoneId,
                programId,
                stepsMicros,
                distanceMicros,
                activeMinutesMicros,
                caloriesMicros,
                stepsSeen,
                heartRate,
                goals,
                steps,
                activeMinutes,
                updatedAt);
    }

    public DayState withUpdatedAt(Instant at) {
        return new DayState(
                zoneId,
                programId,
                stepsMicros,
                distanceMicros,
                activeMinutesMicros,
                caloriesMicros,
                stepsSeen,
                heartRate,
                goals,
                stepsAchieved,
                activeMinutesAchieved,
                at);
    }

    /** Steps as reported: whole steps, rounded half-up. */
    public long steps() {
        return Micros.toWhole(stepsMicros);
    }

    public double distance() {
        return Micros.toDouble(distanceMicros);
    }

    public double activeMinutes() {
        return Micros.toDouble(activeMinutesMicros);
    }

    public double calories() {
        return Micros.toDouble(caloriesMicros);
    }

    /** Whether the reported step total reaches the day's step goal. */
    public boolean stepGoalReached() {
        return steps() >= goals.steps();
    }

    /** Whether the active minutes reach the day's active-minutes goal. */
    public boolean activeMinutesGoalReached() {
        return activeMinutesMicros >= goals.activeMinutes() * Micros.ONE;
    }

    /** The same day, ignoring {@code updatedAt}. */
    public boolean sameAs(DayState other) {
        return other != null && equals(other.withUpdatedAt(updatedAt));
    }

    /** The {@code activity.daily} value of this day. */
    public DailyActivity toAvro(String participantId, LocalDate date) {
        return DailyActivity.newBuilder()
                .setParticipantId(participantId)
                .setDate(date)
                .setZoneId(zoneId)
                .setSteps(steps())
                .setDistance(distance())
                .setActiveMinutes(activeMinutes())
                .setCalories(calories())
                .setHeartRate(
                        heartRate == null
                                ? null
                                : HeartRateSummary.newBuilder()
                                        .setMin(heartRate.min())
                                        .setMax(heartRate.max())
                                        .setMean(heartRate.mean())
                                        .setCount(heartRate.count())
                                        .build())
                .setStepGoal(goals.steps())
                .setActiveMinutesGoal(goals.activeMinutes())
                .setStepsAchieved(stepsAchieved)
                .setActiveMinutesAchieved(activeMinutesAchieved)
                .setUpdatedAt(updatedAt)
                .build();
    }

    /** Store serde: layout 2 (variable-length integers, flags in one byte); layout 1 still reads. */
    public static Serde<DayState> serde() {
        return StateCodec.serde("day", 2, DayState::write, DayState::read, Map.of(1, DayState::readLayout1));
    }

    private static final int STEPS_SEEN = 1;
    private static final int HEART_RATE = 2;
    private static final int STEPS_ACHIEVED = 4;
    private static final int ACTIVE_MINUTES_ACHIEVED = 8;

    private static void write(DayState d, StateCodec.Out out) throws IOException {
        int flags = (d.stepsSeen ? STEPS_SEEN : 0)
                | (d.heartRate != null ? HEART_RATE : 0)
                | (d.stepsAchieved ? STEPS_ACHIEVED : 0)
                | (d.activeMinutesAchieved ? ACTIVE_MINUTES_ACHIEVED : 0);
        out.text(d.zoneId)
                .text(d.programId)
                .code(flags)
                .zigZag(d.stepsMicros)
                .zigZag(d.distanceMicros)
                .zigZag(d.activeMinutesMicros)
                .zigZag(d.caloriesMicros);
        if (d.heartRate != null) {
            out.zigZag(d.heartRate.minMicros())
                    .zigZag(d.heartRate.maxMicros())
                    .zigZag(d.heartRate.sumMicros())
                    .varLong(d.heartRate.count());
        }
        out.zigZag(d.goals.steps()).zigZag(d.goals.activeMinutes()).zigZag(d.updatedAt.toEpochMilli());
    }

    private static DayState read(StateCodec.In in) throws IOException {
        String zone = in.text();
        String program = in.text();
        int flags = in.code();
        long steps = in.zigZag();
        long distance = in.zigZag();
        long active = in.zigZag();
        long calories = in.zigZag();
        HeartRateDay.Summary hr = (flags & HEART_RATE) != 0
                ? new HeartRateDay.Summary(in.zigZag(), in.zigZag(), in.zigZag(), in.varLong())
                : null;
        DayGoals goals = new DayGoals((int) in.zigZag(), (int) in.zigZag());
        return new DayState(
                zone,
                program,
                steps,
                distance,
                active,
                calories,
                (flags & STEPS_SEEN) != 0,
                hr,
                goals,
                (flags & STEPS_ACHIEVED) != 0,
                (flags & ACTIVE_MINUTES_ACHIEVED) != 0,
                Instant.ofEpochMilli(in.zigZag()));
    }

    private static DayState readLayout1(StateCodec.In in) throws IOException {
        String zone = in.string();
        String program = in.string();
        long steps = in.int64();
        long distance = in.int64();
        long active = in.int64();
        long calories = in.int64();
        boolean seen = in.bool();
        HeartRateDay.Summary hr =
                in.bool() ? new HeartRateDay.Summary(in.int64(), in.int64(), in.int64(), in.int64()) : null;
        DayGoals goals = new DayGoals(in.int32(), in.int32());
        return new DayState(
                zone,
                program,
                steps,
                distance,
                active,
                calories,
                seen,
                hr,
                goals,
                in.bool(),
                in.bool(),
                Instant.ofEpochMilli(in.int64()));
    }
}
