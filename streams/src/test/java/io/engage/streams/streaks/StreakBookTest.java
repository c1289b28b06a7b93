package io.engage.streams.streaks;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.streaks.StreakBook.Award;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreakBookTest {
    private static final LocalDate D1 = LocalDate.of(2026, 11, 1);

    private static LocalDate d(int day) {
        return D1.plusDays(day - 1);
    }

    private static List<Integer> milestonesOf(List<StreakBook.Milestone> ms) {
        return ms.stream().map(m -> m.award().milestone()).toList();
    }

    /** The book, threaded through {@link StreakBook#addGoalDay}, which returns a new one. */
    private StreakBook b;

    private List<StreakBook.Milestone> add(LocalDate date, Set<LocalDate> paused) {
        StreakBook.Added added = b.addGoalDay(date, paused, StreakBook.MILESTONES);
        b = added.book();
        return added.milestones();
    }

    @Test
    void consecutiveGoalDaysReachTheThreeDayMilestoneOnce() {
        b = StreakBook.EMPTY;
        assertThat(add(d(1), Set.of())).isEmpty();
        assertThat(add(d(2), Set.of())).isEmpty();
        assertThat(add(d(3), Set.of()))
                .containsExactly(new StreakBook.Milestone(new Award(d(1), 3), new StreakBook.Streak(d(1), d(3), 3)));
        assertThat(add(d(3), Set.of())).as("a repeat changes nothing").isEmpty();
    }

    @Test
    void addingReturnsANewBookAndLeavesTheOldOneAsItWas() {
        StreakBook before = new StreakBook(List.of(d(1), d(2)), List.of());
        StreakBook.Added added = before.addGoalDay(d(3), Set.of(), StreakBook.MILESTONES);
        assertThat(before.goalDays()).containsExactly(d(1), d(2));
        assertThat(before.awarded()).isEmpty();
        assertThat(added.book().goalDays()).containsExactly(d(1), d(2), d(3));
        assertThat(added.book().awarded()).containsExactly(new Award(d(1), 3));
        assertThat(before.addGoalDay(d(2), Set.of(), StreakBook.MILESTONES).book())
                .as("a repeat")
                .isSameAs(before);
    }

    @Test
    void aMissedDayBreaksTheStreak() {
        b = new StreakBook(List.of(d(1), d(2), d(4)), List.of());
        assertThat(add(d(5), Set.of())).isEmpty();
        assertThat(b.streakContaining(d(5), Set.of())).isEqualTo(new StreakBook.Streak(d(4), d(5), 2));
    }

    @Test
    void aPausedDayNeitherBreaksNorExtends() {
        b = new StreakBook(List.of(d(1), d(2)), List.of());
        Set<LocalDate> paused = Set.of(d(3));
        List<StreakBook.Milestone> ms = add(d(4), paused);
        assertThat(milestonesOf(ms)).containsExactly(3);
        assertThat(ms.get(0).streak()).isEqualTo(new StreakBook.Streak(d(1), d(4), 3));
    }

    @Test
    void lateDataJoinsTwoStreaksKeepingTheEarlierStartAndEarlierAwards() {
        b = StreakBook.EMPTY;
        for (int day : new int[] {1, 2, 4, 5, 6}) {
            add(d(day), Set.of());
        }
        assertThat(b.awarded()).containsExactly(new Award(d(4), 3));
        // day 3 arrives late: one streak of 6 from day 1
        List<StreakBook.Milestone> ms = add(d(3), Set.of());
        assertThat(ms).extracting(StreakBook.Milestone::award).containsExactly(new Award(d(1), 3));
        assertThat(b.streakContaining(d(6), Set.of())).isEqualTo(new StreakBook.Streak(d(1), d(6), 6));
        assertThat(b.awarded()).containsExactlyInAnyOrder(new Award(d(4), 3), new Award(d(1), 3));
        add(d(7), Set.of());
        assertThat(b.awarded()).contains(new Award(d(1), 7));
    }

    @Test
    void currentStreakEndsTodayIfTodayIsAGoalDayElseYesterday() {
        StreakBook b = new StreakBook(List.of(d(1), d(2), d(3)), List.of());
        assertThat(b.current(d(3), Set.of())).isEqualTo(3);
        assertThat(b.current(d(4), Set.of())).as("today not yet achieved").isEqualTo(3);
        assertThat(b.current(d(5), Set.of())).as("yesterday missed").isZero();
        assertThat(b.current(d(5), Set.of(d(4)))).as("yesterday paused").isEqualTo(3);
    }

    @Test
    void longestStreak() {
        StreakBook b = new StreakBook(List.of(d(1), d(2), d(4), d(5), d(6), d(7), d(10)), List.of());
        assertThat(b.longest(Set.of())).isEqualTo(4);
        assertThat(b.longest(Set.of(d(3)))).isEqualTo(6);
    }

    private static boolean joins(StreakBook book, LocalDate date, Set<LocalDate> paused) {
        return book.addGoalDay(date, paused, StreakBook.MILESTONES).joined() != null;
    }

    @Test
    void aJoinIsSeenWithGoalDaysOnBothSidesAcrossPausedDays() {
        StreakBook b = new StreakBook(List.of(d(1), d(2), d(5)), List.of());
        assertThat(joins(b, d(3), Set.of())).as("only a goal day before").isFalse();
        assertThat(joins(b, d(3), Set.of(d(4))))
                .as("day 4 paused: 2 and 5 are neighbours of 3")
                .isTrue();
        assertThat(joins(b, d(4), Set.of(d(3)))).isTrue();
        assertThat(joins(b, d(2), Set.of())).as("already a goal day").isFalse();
        assertThat(joins(StreakBook.EMPTY, d(1), Set.of())).isFalse();
        assertThat(b.addGoalDay(d(3), Set.of(d(4)), StreakBook.MILESTONES).joined())
                .isEqualTo(new StreakBook.Streak(d(1), d(5), 4));
    }

    @Test
    void theEarlierStoreLayoutStillReads() {
        byte[] layout1 = io.engage.streams.state.StateCodec.<String>serde(
                        "old",
                        1,
                        (v, out) -> out.int32(2)
                                .date(d(1))
                                .date(d(2))
                                .int32(1)
                                .date(d(1))
                                .int32(3),
                        in -> null)
                .serializer()
                .serialize("t", "x");
        StreakBook back = StreakBook.serde().deserializer().deserialize("t", layout1);
        assertThat(back).isEqualTo(new StreakBook(List.of(d(1), d(2)), List.of(new Award(d(1), 3))));
    }

    @Test
    void theStoreLayoutRoundTrips() {
        StreakBook b = new StreakBook(List.of(d(1), d(2), d(3), d(9)), List.of(new Award(d(1), 3)));
        var serde = StreakBook.serde();
        StreakBook back =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", b));
        assertThat(back.goalDays()).containsExactlyElementsOf(b.goalDays());
        assertThat(back.awarded()).containsExactlyInAnyOrderElementsOf(b.awarded());
    }
}
