package io.engage.streams.streaks;

import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;

/**
 * A participant's goal days and the streak milestones already awarded (docs/rules.md, "Streaks").
 *
 * <p>A streak is a run of consecutive local dates in which every date is a goal day or a paused day; paused days
 * neither break nor extend it (they do not count towards its length), and the streak starts at its first goal day.
 * Late data can fill a gap and join two streaks: the joined streak keeps the earlier start date, and milestones
 * awarded to the later part stay awarded (nothing is taken back), so awards can depend on arrival order while goal
 * days cannot. Immutable: adding a goal day returns a new book ({@link #addGoalDay}).
 */
public final class StreakBook {
    /** The milestones of docs/rules.md, in days. */
    public static final List<Integer> MILESTONES = List.of(3, 7, 14, 30, 60, 90);

    private final NavigableSet<LocalDate> goalDays;
    private final Set<Award> awarded;

    /** A milestone awarded to the streak that started on {@code streakStart}. */
    public record Award(LocalDate streakStart, int milestone) {}

    /** A run of goal days: first goal day, last goal day, number of goal days. */
    public record Streak(LocalDate start, LocalDate end, int length) {}

    /** A new milestone: the award and the streak as it was when it was reached. */
    public record Milestone(Award award, Streak streak) {}

    /** What adding a goal day did: the book after it, the joined streak (null: no join) and new milestones. */
    public record Added(StreakBook book, Streak joined, List<Milestone> milestones) {
        public Added {
            milestones = List.copyOf(milestones);
        }
    }

    /** A book without goal days. */
    public static final StreakBook EMPTY = new StreakBook(List.of(), List.of());

    public StreakBook(Collection<LocalDate> goalDays, Collection<Award> awarded) {
        this.goalDays = Collections.unmodifiableNavigableSet(new TreeSet<>(goalDays));
        this.awarded = Set.copyOf(awarded);
    }

    public NavigableSet<LocalDate> goalDays() {
        return goalDays;
    }

    public Set<Award> awarded() {
        return awarded;
    }

    /**
     * The book with {@code date} as a goal day: whether that joined two streaks (the streak it joined into, else null)
     * and the milestones reached now that were not awarded before. A date already recorded changes nothing.
     */
    public Added addGoalDay(LocalDate date, Set<LocalDate> paused, List<Integer> milestones) {
        if (goalDays.contains(date)) {
            return new Added(this, null, List.of());
        }
        boolean joins = wouldJoin(date, paused);
        TreeSet<LocalDate> days = new TreeSet<>(goalDays);
        days.add(date);
        Set<Award> awards = new HashSet<>(awarded);
        StreakBook next = new StreakBook(days, List.of());
        Streak s = next.streakContaining(date, paused);
        List<Milestone> out = new ArrayList<>();
        for (int m : milestones) {
            if (s.length() >= m && awards.add(new Award(s.start(), m))) {
                out.add(new Milestone(new Award(s.start(), m), s));
            }
        }
        return new Added(new StreakBook(days, awards), joins ? s : null, out);
    }

    /**
     * Whether making {@code date} a goal day would join two streaks: the nearest non-paused day before it and the
     * nearest non-paused day after it are both goal days (and {@code date} is not one yet).
     */
    private boolean wouldJoin(LocalDate date, Set<LocalDate> paused) {
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

    /**
     * Store serde: layout 2 (goal days as gaps in days from the previous one, awards as streak start and milestone,
     * variable-length); layout 1 (fixed-width integers) still reads.
     */
    public static Serde<StreakBook> serde() {
        return StateCodec.serde(
                "streak book", 2, StreakBook::write, StreakBook::read, Map.of(1, StreakBook::readLayout1));
    }

    private static void write(StreakBook b, StateCodec.Out out) throws IOException {
        out.varLong(b.goalDays.size());
        long previous = 0;
        for (LocalDate d : b.goalDays) {
            out.zigZag(d.toEpochDay() - previous);
            previous = d.toEpochDay();
        }
        List<Award> awards = new ArrayList<>(b.awarded);
        awards.sort(Comparator.comparing(Award::streakStart).thenComparingInt(Award::milestone));
        out.varLong(awards.size());
        for (Award a : awards) {
            out.zigZag(a.streakStart().toEpochDay()).varLong(a.milestone());
        }
    }

    private static StreakBook read(StateCodec.In in) throws IOException {
        int n = (int) in.varLong();
        List<LocalDate> days = new ArrayList<>(n);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            previous += in.zigZag();
            days.add(LocalDate.ofEpochDay(previous));
        }
        int m = (int) in.varLong();
        List<Award> awards = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            awards.add(new Award(LocalDate.ofEpochDay(in.zigZag()), (int) in.varLong()));
        }
        return new StreakBook(days, awards);
    }

    private static StreakBook readLayout1(StateCodec.In in) throws IOException {
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

    @Override
    public boolean equals(Object o) {
        return o instanceof StreakBook b && goalDays.equals(b.goalDays) && awarded.equals(b.awarded);
    }

    @Override
    public int hashCode() {
        return goalDays.hashCode() * 31 + awarded.hashCode();
    }
}
