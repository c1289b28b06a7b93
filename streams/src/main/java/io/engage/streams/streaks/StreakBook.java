package io.engage.streams.streaks;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.Serde;

import io.engage.streams.state.StateCodec;

/**
 * A participant's goal days and the streak milestones already awarded (SPEC section 4).
 *
 * <p>A streak is a run of consecutive local dates in which every date is a goal day or a paused day; paused days
 * neither break nor extend it (they do not count towards its length), and the streak starts at its first goal day.
 * Late data can fill a gap and join two streaks: the joined streak keeps the earlier start date, and milestones
 * awarded to the later part stay awarded (nothing is taken back), so awards can depend on arrival order while goal
 * days cannot.
 */
public final class StreakBook {
    /** The milestones of SPEC section 4, in days. */
    public static final List<Integer> MILESTONES = List.of(3, 7, 14, 30, 60, 90);

    private final NavigableSet<LocalDate> goalDays;
    private final Set<Award> awarded;

    /** A milestone awarded to the streak that started on {@code streakStart}. */
    public record Award(LocalDate streakStart, int milestone) {
    }

    /** A run of goal days: first goal day, last goal day, number of goal days. */
    public record Streak(LocalDate start, LocalDate end, int length) {
    }

    /** A new milestone: the award and the streak as it was when it was reached. */
    public record Milestone(Award award, Streak streak) {
    }

    public StreakBook(Collection<LocalDate> goalDays, Collection<Award> awarded) {
        this.goalDays = new TreeSet<>(goalDays);
        this.awarded = new java.util.HashSet<>(awarded);
    }

    public NavigableSet<LocalDate> goalDays() {
        return java.util.Collections.unmodifiableNavigableSet(goalDays);
    }

    public Set<Award> awarded() {
        return java.util.Collections.unmodifiableSet(awarded);
    }

    /**
     * Records {@code date} as a goal day and returns the milestones that are reached now and were not awarded
     * before. A date already recorded changes nothing.
     */
    public List<Milestone> addGoalDay(LocalDate date, Set<LocalDate> paused, List<Integer> milestones) {
        if (!goalDays.add(date)) {
            return List.of();
        }
        Streak s = streakContaining(date, paused);
        List<Milestone> out = new ArrayList<>();
        for (int m : milestones) {
            if (s.length() >= m && awarded.add(new Award(s.start(), m))) {
                out.add(new Milestone(new Award(s.start(), m), s));
            }
        }
        return out;
    }

    /**
     * Whether making {@code date} a goal day would join two streaks: the nearest non-paused day before it and the
     * nearest non-paused day after it are both goal days (and {@code date} is not one yet).
     */
    public boolean wouldJoin(LocalDate date, Set<LocalDate> paused) {
        if (goalDays.isEmpty() || goalDays.contains(date)) {
            return false;
        }
        LocalDate before = date.minusDays(1);
        while (paused.contains(before) && !goalDays.contains(before) && !before.isBefore(goalDays.first())) {
            before = before.minusDays(1);
        }
        LocalDate after = date.plusDays(1);
        while (paused.contains(after) && !goalDays.contains(after) && !after.isAfter(goalDays.last())) {
            after = after.plusDays(1);
        }
        return goalDays.contains(before) && goalDays.contains(after);
    }

    /** The streak containing goal day {@code date}. */
    public Streak streakContaining(LocalDate date, Set<LocalDate> paused) {
        if (!goalDays.contains(date)) {
            throw new IllegalArgumentException(date + " is not a goal day");
        }
        LocalDate start = date;
        LocalDate d = date.minusDays(1);
        while (goalDays.contains(d) || paused.contains(d)) {
            if (goalDays.contains(d)) {
                start = d;
            }
            d = d.minusDays(1);
            if (d.isBefore(goalDays.first())) {
                break;
            }
        }
        LocalDate end = date;
        d = date.plusDays(1);
        while (goalDays.contains(d) || paused.contains(d)) {
            if (goalDays.contains(d)) {
                end = d;
            }
            d = d.plusDays(1);
            if (d.isAfter(goalDays.last())) {
                break;
            }
        }
        int length = goalDays.subSet(start, true, end, true).size();
        return new Streak(start, end, length);
    }

    /**
     * The current streak on {@code today}: the run ending today if today is a goal day, else the run ending
     * yesterday; paused days between are skipped. Zero when neither.
     */
    public int current(LocalDate today, Set<LocalDate> paused) {
        LocalDate d = today;
        if (!goalDays.contains(d)) {
            d = d.minusDays(1);
            while (paused.contains(d) && !goalDays.contains(d)) {
                d = d.minusDays(1);
            }
            if (!goalDays.contains(d)) {
                return 0;
            }
        }
        Streak s = streakContaining(d, paused);
        return goalDays.subSet(s.start(), true, d, true).size();
    }

    /** Store serde: goal days and awards. */
    public static Serde<StreakBook> serde() {
        return StateCodec.serde("streak book", 1, StreakBook::write, StreakBook::read);
    }

    private static void write(StreakBook b, StateCodec.Out out) throws IOException {
        out.int32(b.goalDays.size());
        for (LocalDate d : b.goalDays) {
            out.date(d);
        }
        List<Award> awards = new ArrayList<>(b.awarded);
        awards.sort(Comparator.comparing(Award::streakStart).thenComparingInt(Award::milestone));
        out.int32(awards.size());
        for (Award a : awards) {
            out.date(a.streakStart()).int32(a.milestone());
        }
    }

    private static StreakBook read(StateCodec.In in) throws IOException {
        int n = in.int32();
        List<LocalDate> days = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            days.add(in.date());
        }
        int m = in.int32();
        List<Award> awards = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            awards.add(new Award(in.date(), in.int32()));
        }
        return new StreakBook(days, awards);
    }

    /** The longest streak so far. */
    public int longest(Set<LocalDate> paused) {
        int best = 0;
        LocalDate skipUntil = null;
        for (LocalDate d : goalDays) {
            if (skipUntil != null && !d.isAfter(skipUntil)) {
                continue;
            }
            Streak s = streakContaining(d, paused);
            best = Math.max(best, s.length());
            skipUntil = s.end();
        }
        return best;
    }
}
