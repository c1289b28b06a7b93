package io.engage.streams.streaks;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Preferences;
import io.engage.avro.StreakEvent;
import io.engage.streams.testing.EngagementDriver;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/rules.md: a paused day (participant preference) neither breaks nor extends a streak. */
class PausedDayTest {
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    private void goalDay(String pid, String date) {
        d.steps(pid, "tracker-1", 7000, date + "T09:00:00+01:00", date + "T12:00:00+01:00")
                .send();
    }

    @Test
    void aPausedDayNeitherBreaksNorExtends() {
        d.profile(EngagementDriver.participant("p-paused", "Europe/Berlin")
                .setPreferences(Preferences.newBuilder()
                        .setPausedDates(List.of(LocalDate.parse("2026-11-12")))
                        .build())
                .build());
        d.profile("p-plain", "Europe/Berlin");
        for (String pid : new String[] {"p-paused", "p-plain"}) {
            goalDay(pid, "2026-11-10");
            goalDay(pid, "2026-11-11");
            goalDay(pid, "2026-11-13");
        }
        // paused: 10, 11, (12 paused), 13 is a streak of three goal days
        assertThat(d.streaks).singleElement().satisfies(e -> {
            assertThat(e.getParticipantId()).isEqualTo("p-paused");
            assertThat(e.getEventId()).isEqualTo("streak:p-paused:2026-11-10:3");
            assertThat(e.getStreakEnd()).isEqualTo(LocalDate.parse("2026-11-13"));
            assertThat(e.getLength()).isEqualTo(3);
        });

        Clock on14th = Clock.fixed(Instant.parse("2026-11-14T12:00:00Z"), ZoneOffset.UTC);
        assertThat(d.queries(on14th).summary("p-paused").orElseThrow().currentStreak())
                .isEqualTo(3);
        assertThat(d.queries(on14th).summary("p-plain").orElseThrow().currentStreak())
                .isEqualTo(1);
        assertThat(d.queries(on14th).summary("p-plain").orElseThrow().longestStreak())
                .isEqualTo(2);
    }

    @Test
    void aPausedYesterdayKeepsTheCurrentStreak() {
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                .setPreferences(Preferences.newBuilder()
                        .setPausedDates(List.of(LocalDate.parse("2026-11-13")))
                        .build())
                .build());
        goalDay("p-1", "2026-11-11");
        goalDay("p-1", "2026-11-12");
        Clock on14th = Clock.fixed(Instant.parse("2026-11-14T12:00:00Z"), ZoneOffset.UTC);
        assertThat(d.queries(on14th).summary("p-1").orElseThrow().currentStreak())
                .isEqualTo(2);
        assertThat(d.streaks).extracting(StreakEvent::getEventId).isEmpty();
    }
}
