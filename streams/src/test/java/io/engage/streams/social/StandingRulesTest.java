package io.engage.streams.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.StandingPeriod;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.testing.TestProfiles;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/social.md, the standing rules as pure functions: weeks, leaderboard places and team step changes. */
class StandingRulesTest {
    private static final Instant AT = Instant.parse("2026-11-20T12:00:00Z");
    private static final LocalDate FRIDAY = LocalDate.parse("2026-11-20");
    private static final LocalDate MONDAY = LocalDate.parse("2026-11-16");

    private static ProfileView member(String team) {
        ProfileView p = TestProfiles.plain("p-1", "Europe/Berlin", true);
        return new ProfileView(
                p.participantId(), "prog-1", team, p.zoneId(), true, null, null, null, null, null, true, true, null);
    }

    @Test
    void theFirstStepsOfADayOpenItsWeekRankItAndGiveTheTeamTheSteps() {
        StandingRules.ParticipantUpdate u = StandingRules.daySteps("p-1", member("t-1"), FRIDAY, 1200, null, AT);

        assertThat(u.week().day(FRIDAY)).isEqualTo(1200);
        assertThat(u.week().day(MONDAY)).isEqualTo(ParticipantWeek.NONE);
        assertThat(u.week().total()).isEqualTo(1200);
        assertThat(u.unranked()).isEmpty();
        assertThat(u.ranked())
                .containsExactly(
                        StandingKeys.rank("prog-1", StandingPeriod.day, FRIDAY, 1200, "p-1"),
                        StandingKeys.rank("prog-1", StandingPeriod.week, MONDAY, 1200, "p-1"));
        assertThat(u.team()).isEqualTo(new TeamDaySteps("prog-1", "t-1", FRIDAY, 1200, AT));
    }

    @Test
    void aCorrectionDownMovesThePlacesAndTakesTheDifferenceFromTheTeam() {
        ParticipantWeek week = StandingRules.daySteps("p-1", member("t-1"), MONDAY, 3000, null, AT)
                .week();
        week = StandingRules.daySteps("p-1", member("t-1"), FRIDAY, 1200, week, AT)
                .week();

        StandingRules.ParticipantUpdate u = StandingRules.daySteps("p-1", member("t-1"), FRIDAY, 1000, week, AT);

        assertThat(u.week().total()).isEqualTo(4000);
        assertThat(u.unranked())
                .containsExactly(
                        StandingKeys.rank("prog-1", StandingPeriod.day, FRIDAY, 1200, "p-1"),
                        StandingKeys.rank("prog-1", StandingPeriod.week, MONDAY, 4200, "p-1"));
        assertThat(u.ranked())
                .containsExactly(
                        StandingKeys.rank("prog-1", StandingPeriod.day, FRIDAY, 1000, "p-1"),
                        StandingKeys.rank("prog-1", StandingPeriod.week, MONDAY, 4000, "p-1"));
        assertThat(u.team().steps()).isEqualTo(-200);
    }

    @Test
    void theSameStepsOrNoStepsOnANewDayChangeNothing() {
        ParticipantWeek week = StandingRules.daySteps("p-1", member("t-1"), FRIDAY, 1200, null, AT)
                .week();
        assertThat(StandingRules.daySteps("p-1", member("t-1"), FRIDAY, 1200, week, AT))
                .isNull();
        assertThat(StandingRules.daySteps("p-1", member("t-1"), MONDAY, 0, week, AT))
                .isNull();
        assertThat(StandingRules.daySteps("p-1", member("t-1"), MONDAY, 0, null, AT))
                .isNull();
    }

    @Test
    void withoutATeamNothingGoesToATeam() {
        assertThat(StandingRules.daySteps("p-1", member(null), FRIDAY, 1200, null, AT)
                        .team())
                .isNull();
        assertThat(StandingRules.daySteps("p-1", member(" "), FRIDAY, 1200, null, AT)
                        .team())
                .isNull();
    }

    @Test
    void aTeamsDayAndWeekMoveByTheChangeAndNeverBelowZero() {
        TeamDaySteps change = new TeamDaySteps("prog-1", "t-1", FRIDAY, 500, AT);
        List<StandingRules.TeamUpdate> u = StandingRules.teamSteps(change, 1000L, 9000L);
        assertThat(u)
                .extracting(t -> t.period() + "/" + t.start() + "=" + t.steps())
                .containsExactly("day/2026-11-20=1500", "week/2026-11-16=9500");
        assertThat(u.get(0).unranked()).isEqualTo(StandingKeys.rank("prog-1", StandingPeriod.day, FRIDAY, 1000, "t-1"));
        assertThat(StandingRules.teamSteps(new TeamDaySteps("prog-1", "t-1", FRIDAY, -5000, AT), 1000L, null))
                .extracting(StandingRules.TeamUpdate::steps)
                .containsExactly(0L, 0L);
        assertThat(StandingRules.teamSteps(new TeamDaySteps("prog-1", "t-1", FRIDAY, 0, AT), 1000L, 1000L))
                .isEmpty();
    }

    @Test
    void rankingKeysListMostStepsFirstThenIdsAndGiveTheirStepsBack() {
        String a = StandingKeys.rank("prog-1", StandingPeriod.day, FRIDAY, 900, "p-b");
        String b = StandingKeys.rank("prog-1", StandingPeriod.day, FRIDAY, 900, "p-a");
        String c = StandingKeys.rank("prog-1", StandingPeriod.day, FRIDAY, 12_000, "p-z");
        assertThat(List.of(a, b, c).stream().sorted().toList()).containsExactly(c, b, a);
        assertThat(StandingKeys.rankedSteps(c)).isEqualTo(12_000);
        assertThat(StandingKeys.rankedEntity(c)).isEqualTo("p-z");
        assertThat(c).startsWith(StandingKeys.rankPrefix("prog-1", StandingPeriod.day, FRIDAY));
        assertThat(StandingKeys.periodStart(StandingPeriod.week, LocalDate.parse("2026-11-22")))
                .as("a Sunday belongs to the week of the Monday before")
                .isEqualTo(MONDAY);
    }
}
