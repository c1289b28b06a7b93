package io.engage.streams.streaks;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.PointsAwarded;
import io.engage.avro.StreakEvent;
import io.engage.avro.StreakEventKind;
import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: late data can join two streaks; the joined streak keeps the earlier start date and milestones already
 * awarded to the later part stay awarded.
 */
class LateJoinStreakTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    private void goalDay(String date) {
        d.steps("p-1", "tracker-1", 7000, date + "T09:00:00+01:00", date + "T12:00:00+01:00")
                .send();
    }

    @Test
    void lateDataJoinsTwoStreaks() {
        for (String date : new String[] {"2026-11-10", "2026-11-11", "2026-11-13", "2026-11-14", "2026-11-15"}) {
            goalDay(date);
        }
        assertThat(d.streaks).singleElement().satisfies(e -> {
            assertThat(e.getEventId()).isEqualTo("streak:p-1:2026-11-13:3");
            assertThat(e.getKind()).isEqualTo(StreakEventKind.MILESTONE);
            assertThat(e.getStreakStart()).isEqualTo(LocalDate.parse("2026-11-13"));
            assertThat(e.getStreakEnd()).isEqualTo(LocalDate.parse("2026-11-15"));
            assertThat(e.getLength()).isEqualTo(3);
            assertThat(e.getMilestone()).isEqualTo(3);
        });

        goalDay("2026-11-12"); // the tracker of the 12th syncs late: one streak of 6 from the 10th
        assertThat(d.streaks)
                .extracting(StreakEvent::getEventId)
                .containsExactly(
                        "streak:p-1:2026-11-13:3",
                        "streak:p-1:2026-11-10:JOINED:2026-11-12",
                        "streak:p-1:2026-11-10:3");
        StreakEvent joined = d.streaks.get(1);
        assertThat(joined.getKind()).isEqualTo(StreakEventKind.JOINED);
        assertThat(joined.getStreakStart()).isEqualTo(LocalDate.parse("2026-11-10"));
        assertThat(joined.getStreakEnd()).isEqualTo(LocalDate.parse("2026-11-15"));
        assertThat(joined.getLength()).isEqualTo(6);

        goalDay("2026-11-16");
        assertThat(d.streaks.get(d.streaks.size() - 1).getEventId()).isEqualTo("streak:p-1:2026-11-10:7");

        // the later part's 3-day award stays; the joined streak has its own 3 and 7
        assertThat(d.points)
                .extracting(PointsAwarded::getAwardId)
                .contains(
                        "points:p-1:2026-11-13:STREAK_MILESTONE:3",
                        "points:p-1:2026-11-10:STREAK_MILESTONE:3",
                        "points:p-1:2026-11-10:STREAK_MILESTONE:7");
        assertThat(d.queries().summary("p-1").orElseThrow().longestStreak()).isEqualTo(7);
    }
}
