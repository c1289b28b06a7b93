package io.engage.streams.streaks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.engage.streams.streaks.StreakBook.Award;

class StreakBookTest {
    private static final LocalDate D1 = LocalDate.of(2026, 11, 1);

    private static LocalDate d(int day) {
        return D1.plusDays(day - 1);
    }

    private static List<Integer> milestonesOf(List<StreakBook.Milestone> ms) {
        return ms.stream().map(m -> m.award().milestone()).toList();
    }

    @Test
    void consecutiveGoalDaysReachTheThreeDayMilestoneOnce() {
        StreakBook b = new StreakBook(List.of(), List.of());
        assertThat(b.addGoalDay(d(1), Set.of(), StreakBook.MILESTONES)).isEmpty();
        assertThat(b.addGoalDay(d(2), Set.of(), StreakBook.MILESTONES)).isEmpty();
        assertThat(b.addGoalDay(d(3), Set.of(), StreakBook.MILESTONES))
                .containsExactly(new StreakBook.Milestone(new Award(d(1), 3), new StreakBook.Streak(d(1), d(3), 3)));
        assertThat(b.addGoalDay(d(3), Set.of(), StreakBook.MILESTONES)).as("a repeat changes nothing").isEmpty();
    }

    @Test
    void aMissedDayBreaksTheStreak() {
        StreakBook b = new StreakBook(List.of(d(1), d(2), d(4)), List.of());
        assertThat(b.addGoalDay(d(5), Set.of(), StreakBook.MILESTONES)).isEmpty();
        assertThat(b.streakContaining(d(5), Set.of())).isEqualTo(new StreakBook.Streak(d(4), d(5), 2));
    }

    @Test
    void aPausedDayNeitherBreaksNorExtends() {
        StreakBook b = new StreakBook(List.of(d(1), d(2)), List.of());
        Set<LocalDate> paused = Set.of(d(3));
        List<StreakBook.Milestone> ms = b.addGoalDay(d(4), paused, StreakBook.MILESTONES);
        assertThat(milestonesOf(ms)).containsExactly(3);
        assertThat(ms.get(0).streak()).isEqualTo(new StreakBook.Streak(d(1), d(4), 3));
    }

    @Test
    void lateDataJoinsTwoStreaksKeepingTheEarlierStartAndEarlierAwards() {
        StreakBook b = new StreakBook(List.of(), List.of());
        for (int day : new int[] {1, 2, 4, 5, 6}) {
            b.addGoalDay(d(day), Set.of(), StreakBook.MILESTONES);
        }
        assertThat(b.awarded()).containsExactly(new Award(d(4), 3));
        // day 3 arrives late: one streak of 6 from day 1
        List<StreakBook.Milestone> ms = b.addGoalDay(d(3), Set.of(), StreakBook.MILESTONES);
        assertThat(ms).extracting(StreakBook.Milestone::award).containsExactly(new Award(d(1), 3));
        assertThat(b.streakContaining(d(6), Set.of())).isEqualTo(new StreakBook.Streak(d(1), d(6), 6));
        assertThat(b.awarded()).containsExactlyInAnyOrder(new Award(d(4), 3), new Award(d(1), 3));
        b.addGoalDay(d(7), Set.of(), StreakBook.MILESTONES);
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

    @Test
    void wouldJoinSeesGoalDaysOnBothSidesAcrossPausedDays() {
        StreakBook b = new StreakBook(List.of(d(1), d(2), d(5)), List.of());
        assertThat(b.wouldJoin(d(3), Set.of())).as("only a goal day before").isFalse();
        assertThat(b.wouldJoin(d(3), Set.of(d(4)))).as("day 4 paused: 2 and 5 are neighbours of 3").isTrue();
        assertThat(b.wouldJoin(d(4), Set.of(d(3)))).isTrue();
        assertThat(b.wouldJoin(d(2), Set.of())).as("already a goal day").isFalse();
        assertThat(new StreakBook(List.of(), List.of()).wouldJoin(d(1), Set.of())).isFalse();
    }

    @Test
    void theStoreLayoutRoundTrips() {
        StreakBook b = new StreakBook(List.of(d(1), d(2), d(3), d(9)), List.of(new Award(d(1), 3)));
        var serde = StreakBook.serde();
        StreakBook back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", b));
        assertThat(back.goalDays()).containsExactlyElementsOf(b.goalDays());
        assertThat(back.awarded()).containsExactlyInAnyOrderElementsOf(b.awarded());
    }
}
