package io.engage.streams.query;

import io.engage.avro.Metric;
import io.engage.avro.NudgeType;
import io.engage.streams.coaching.SuppressReason;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's counts that no state store answers (docs/query.md, "Pipeline counts"): readings normalised and
 * dead-lettered by reason, goal days by programme, local date and metric, nudges sent by type and held back by reason
 * per local date. Fed by {@link PipelineFeed} from topics every instance reads whole, so every instance holds the same
 * counts and answers alone. Thread-safe: the feed writes, request threads read.
 */
public final class PipelineTally {
    /** Dates kept behind the newest date seen (goal days and nudges): more than the topics' retention. */
    static final int DAYS_KEPT = 60;

    private long normalized;
    private final Map<String, Long> deadLettered = new TreeMap<>();
    /** Programme id to local date to goal days per metric. */
    private final Map<String, TreeMap<LocalDate, Map<Metric, Long>>> goals = new HashMap<>();
    /** Local date to nudge decisions. */
    private final TreeMap<LocalDate, NudgeDay> nudges = new TreeMap<>();

    private volatile boolean caughtUp;
    private volatile String stopped;

    /** Readings on {@code readings.normalized} and {@code readings.rejected}. */
    public record Readings(long accepted, long deadLettered, Map<String, Long> deadLetteredByReason) {}

    /** Goal days of a programme on a local date, per metric. */
    public record GoalDays(long steps, long activeMinutes) {}

    /** Nudges of a local date: sent by type, held back by reason. */
    public record Nudges(
            long sent, Map<String, Long> sentByType, long suppressed, Map<String, Long> suppressedByReason) {}

    private static final class NudgeDay {
        final Map<String, Long> sentByType = new TreeMap<>();
        final Map<String, Long> suppressedByReason = new TreeMap<>();
    }

    /** {@code n} more readings normalised. */
    public synchronized void normalized(long n) {
        normalized += n;
    }

    /** One more reading dead-lettered with {@code reason}. */
    public synchronized void deadLettered(String reason) {
        deadLettered.merge(reason, 1L, Long::sum);
    }

    /** One more goal day (one {@code goals.achieved} event: exactly one per participant, date and metric). */
    public synchronized void goal(String programId, LocalDate date, Metric metric) {
        TreeMap<LocalDate, Map<Metric, Long>> dates = goals.computeIfAbsent(programId, k -> new TreeMap<>());
        dates.computeIfAbsent(date, d -> new HashMap<>()).merge(metric, 1L, Long::sum);
        forgetBefore(dates, dates.lastKey().minusDays(DAYS_KEPT));
    }

    /** One more nudge decided for a local date: sent when {@code reason} is null, else held back for it. */
    public synchronized void nudge(LocalDate date, NudgeType type, SuppressReason reason) {
        NudgeDay day = nudges.computeIfAbsent(date, d -> new NudgeDay());
        if (reason == null) {
            day.sentByType.merge(type.name(), 1L, Long::sum);
        } else {
            day.suppressedByReason.merge(reason.name(), 1L, Long::sum);
        }
        forgetBefore(nudges, nudges.lastKey().minusDays(DAYS_KEPT));
    }

    private static void forgetBefore(TreeMap<LocalDate, ?> dates, LocalDate oldest) {
        dates.headMap(oldest).clear();
    }

    public synchronized Readings readings() {
        return new Readings(
                normalized,
                deadLettered.values().stream().mapToLong(Long::longValue).sum(),
                new TreeMap<>(deadLettered));
    }

    public synchronized GoalDays goalDays(String programId, LocalDate date) {
        Map<Metric, Long> day = goals.getOrDefault(programId, new TreeMap<>()).getOrDefault(date, Map.of());
        return new GoalDays(day.getOrDefault(Metric.steps, 0L), day.getOrDefault(Metric.active_minutes, 0L));
    }

    public synchronized Nudges nudges(LocalDate date) {
        NudgeDay day = nudges.getOrDefault(date, new NudgeDay());
        return new Nudges(
                sum(day.sentByType),
                new TreeMap<>(day.sentByType),
                sum(day.suppressedByReason),
                new TreeMap<>(day.suppressedByReason));
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether the feed has read every topic up to where it ended when the feed started, and still follows them: the
     * counts are whole and current.
     */
    public boolean caughtUp() {
        return caughtUp && stopped == null;
    }

    /** Why the feed stopped following its topics, or null while it follows them. */
    public String stopped() {
        return stopped;
    }

    void markCaughtUp() {
        caughtUp = true;
    }

    /** The feed stopped for good: the counts would stand still, so they are not answered any more. */
    void markStopped(String why) {
        stopped = why;
    }
}
