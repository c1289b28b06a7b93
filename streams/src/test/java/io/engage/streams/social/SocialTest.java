package io.engage.streams.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Cheer;
import io.engage.avro.CheerKind;
import io.engage.avro.Metric;
import io.engage.avro.PointRules;
import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import io.engage.avro.Preferences;
import io.engage.avro.StandingPeriod;
import io.engage.streams.testing.EngagementDriver;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/social.md through the engagement topology: standings per local date and ISO week, participant and team
 * leaderboards, and cheers.
 */
class SocialTest {
    private static final String PROG = EngagementDriver.PROGRAM;
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    private void join(String pid, String zone, String team) {
        join(pid, zone, team, Preferences.newBuilder());
    }

    private void join(String pid, String zone, String team, Preferences.Builder prefs) {
        d.profile(EngagementDriver.participant(pid, zone)
                .setTeamId(team)
                .setPreferences(prefs.build())
                .build());
    }

    /** {@code steps} over half an hour from {@code startUtc}, received a day later. */
    private void steps(String pid, double steps, String startUtc) {
        Instant start = Instant.parse(startUtc);
        d.reading(
                        pid,
                        "trk-" + pid,
                        Metric.steps,
                        steps,
                        start.toString(),
                        start.plus(Duration.ofMinutes(30)).toString())
                .receivedAt(start.plus(Duration.ofDays(1)))
                .send();
    }

    private List<String> board(StandingPeriod period, String date, int limit) {
        d.advanceWallClock(Duration.ofSeconds(1)); // the standings take the changed days once a second
        return Leaderboards.merge(
                        d.social()
                                .participantsPartial(PROG, period, LocalDate.parse(date), limit)
                                .values(),
                        limit)
                .stream()
                .map(r -> r.rank() + ":" + r.id() + "=" + r.steps())
                .toList();
    }

    private java.util.Map<String, Long> standings() {
        d.advanceWallClock(Duration.ofSeconds(1));
        return d.standings();
    }

    private List<String> teams(StandingPeriod period, String date) {
        d.advanceWallClock(Duration.ofSeconds(1)); // the standings and team step changes are updated once a second
        return d.social().teams(PROG, period, LocalDate.parse(date), 10).stream()
                .map(r -> r.rank() + ":" + r.id() + "=" + r.steps())
                .toList();
    }

    @Test
    void theWeekIsTheIsoWeekOfTheParticipantsOwnDate_aSundayEveningInUtcIsMondayInAuckland() {
        join("p-akl", "Pacific/Auckland", null);
        steps("p-akl", 3000, "2026-11-22T19:00:00Z"); // Monday 2026-11-23 08:00 in Auckland (Sunday in UTC)
        steps("p-akl", 2000, "2026-11-22T05:00:00Z"); // Sunday 2026-11-22 18:00 in Auckland

        assertThat(board(StandingPeriod.week, "2026-11-23", 10)).containsExactly("1:p-akl=3000");
        assertThat(board(StandingPeriod.week, "2026-11-29", 10)).containsExactly("1:p-akl=3000");
        assertThat(board(StandingPeriod.week, "2026-11-22", 10)).containsExactly("1:p-akl=2000");
        assertThat(board(StandingPeriod.day, "2026-11-23", 10)).containsExactly("1:p-akl=3000");
        assertThat(standings())
                .containsEntry("participant/p-akl/week/2026-11-23", 3000L)
                .containsEntry("participant/p-akl/week/2026-11-16", 2000L)
                .containsEntry("participant/p-akl/day/2026-11-22", 2000L);
    }

    @Test
    void membersInDifferentZonesCountForTheTeamOnTheirOwnLocalDates() {
        join("p-akl", "Pacific/Auckland", "team-x");
        join("p-la", "America/Los_Angeles", "team-x");
        // the same UTC half hour: Saturday 09:00 in Auckland, Friday 12:00 in Los Angeles
        steps("p-akl", 1000, "2026-11-20T20:00:00Z");
        steps("p-la", 1500, "2026-11-20T20:00:00Z");

        assertThat(teams(StandingPeriod.day, "2026-11-21")).containsExactly("1:team-x=1000");
        assertThat(teams(StandingPeriod.day, "2026-11-20")).containsExactly("1:team-x=1500");
        assertThat(teams(StandingPeriod.week, "2026-11-20")).containsExactly("1:team-x=2500");
        assertThat(standings())
                .containsEntry("team/team-x/day/2026-11-21", 1000L)
                .containsEntry("team/team-x/day/2026-11-20", 1500L)
                .containsEntry("team/team-x/week/2026-11-16", 2500L);
    }

    @Test
    void aHiddenParticipantNeverAppearsOnTheParticipantLeaderboardButCountsForTheTeam() {
        join("p-hidden", "Europe/Berlin", "team-x", Preferences.newBuilder().setLeaderboardVisible(false));
        join("p-shown", "Europe/Berlin", "team-x");
        steps("p-hidden", 9000, "2026-11-20T08:00:00Z");
        steps("p-shown", 1000, "2026-11-20T08:00:00Z");

        assertThat(board(StandingPeriod.day, "2026-11-20", 10)).containsExactly("1:p-shown=1000");
        assertThat(board(StandingPeriod.week, "2026-11-20", 10)).containsExactly("1:p-shown=1000");
        assertThat(teams(StandingPeriod.day, "2026-11-20")).containsExactly("1:team-x=10000");
        // hiding after the fact takes effect at once
        join("p-shown", "Europe/Berlin", "team-x", Preferences.newBuilder().setLeaderboardVisible(false));
        assertThat(board(StandingPeriod.day, "2026-11-20", 10)).isEmpty();
    }

    @Test
    void aParticipantWhoWithdrawsConsentOrIsErasedLeavesTheLeaderboardsAtOnce() {
        join("p-gone", "Europe/Berlin", null);
        join("p-withdrawn", "Europe/Berlin", null);
        join("p-stays", "Europe/Berlin", null);
        steps("p-gone", 3000, "2026-11-20T08:00:00Z");
        steps("p-withdrawn", 2000, "2026-11-20T08:00:00Z");
        steps("p-stays", 1000, "2026-11-20T08:00:00Z");
        assertThat(board(StandingPeriod.day, "2026-11-20", 10)).hasSize(3);

        d.erase("p-gone", EngagementDriver.NOW);
        d.profile(EngagementDriver.participant("p-withdrawn", "Europe/Berlin")
                .setConsent(false)
                .build());

        assertThat(board(StandingPeriod.day, "2026-11-20", 10)).containsExactly("1:p-stays=1000");
        assertThat(board(StandingPeriod.week, "2026-11-20", 10)).containsExactly("1:p-stays=1000");
    }

    @Test
    void tiesAreOrderedByIdAscendingAndRankIsThePosition() {
        for (String p : List.of("p-b", "p-a", "p-c")) {
            join(p, "Europe/Berlin", null);
        }
        steps("p-b", 500, "2026-11-20T08:00:00Z");
        steps("p-a", 500, "2026-11-20T08:00:00Z");
        steps("p-c", 700, "2026-11-20T08:00:00Z");

        assertThat(board(StandingPeriod.day, "2026-11-20", 10)).containsExactly("1:p-c=700", "2:p-a=500", "3:p-b=500");
    }

    @Test
    void theLimitCutsTheList() {
        for (int i = 1; i <= 5; i++) {
            join("p-" + i, "Europe/Berlin", null);
            steps("p-" + i, 100 * i, "2026-11-20T08:00:00Z");
        }
        assertThat(board(StandingPeriod.day, "2026-11-20", 3)).containsExactly("1:p-5=500", "2:p-4=400", "3:p-3=300");
        assertThat(board(StandingPeriod.day, "2026-11-20", 1)).containsExactly("1:p-5=500");
    }

    @Test
    void aLateCorrectionMovesAParticipantDown() {
        join("p-1", "Europe/Berlin", "team-x");
        join("p-2", "Europe/Berlin", "team-x");
        steps("p-1", 5000, "2026-11-18T08:00:00Z");
        steps("p-2", 3000, "2026-11-18T08:00:00Z");
        assertThat(board(StandingPeriod.day, "2026-11-18", 10)).containsExactly("1:p-1=5000", "2:p-2=3000");

        // the same reading (device, metric, interval) received again later with a lower value replaces it
        d.reading(p1(), "trk-p-1", Metric.steps, 1000, "2026-11-18T08:00:00Z", "2026-11-18T08:30:00Z")
                .receivedAt("2026-11-20T12:00:00Z")
                .send();

        assertThat(board(StandingPeriod.day, "2026-11-18", 10)).containsExactly("1:p-2=3000", "2:p-1=1000");
        assertThat(board(StandingPeriod.week, "2026-11-18", 10)).containsExactly("1:p-2=3000", "2:p-1=1000");
        assertThat(teams(StandingPeriod.day, "2026-11-18")).containsExactly("1:team-x=4000");
        assertThat(standings()).containsEntry("participant/p-1/day/2026-11-18", 1000L);
    }

    private static String p1() {
        return "p-1";
    }

    @Test
    void aParticipantLeaderboardOfAnotherProgrammeIsEmpty() {
        join("p-1", "Europe/Berlin", null);
        steps("p-1", 5000, "2026-11-18T08:00:00Z");
        assertThat(d.social().participantsPartial("other", StandingPeriod.day, LocalDate.parse("2026-11-18"), 10))
                .allSatisfy((partition, partial) -> assertThat(partial).isEmpty());
    }

    // ---- cheers

    private List<PointsAwarded> cheerAwards(String pid) {
        d.collect();
        return d.points.stream()
                .filter(p -> p.getParticipantId().equals(pid) && p.getReason() == PointsReason.CHEER_GIVEN)
                .toList();
    }

    private double cheers(String outcome, String reason) {
        var c = d.metrics
                .find("engage.cheers")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void cheersFromOrToAParticipantWithSocialOffAreDropped() {
        join("p-off", "Europe/Berlin", null, Preferences.newBuilder().setSocialEnabled(false));
        join("p-on1", "Europe/Berlin", null);
        join("p-on2", "Europe/Berlin", null);
        Instant at = Instant.parse("2026-11-20T10:00:00Z");

        d.send(EngagementDriver.cheer("p-off", "p-on1", at));
        d.send(EngagementDriver.cheer("p-on1", "p-off", at));
        d.send(EngagementDriver.cheer("p-on1", "p-on2", at));

        assertThat(cheerAwards("p-off")).isEmpty();
        assertThat(cheerAwards("p-on1")).hasSize(1);
        assertThat(d.social().cheersReceived("p-on1", LocalDate.parse("2026-11-20")))
                .isZero();
        assertThat(d.social().cheersReceived("p-off", LocalDate.parse("2026-11-20")))
                .isZero();
        assertThat(d.social().cheersReceived("p-on2", LocalDate.parse("2026-11-20")))
                .isEqualTo(1);
        assertThat(cheers("dropped", "SOCIAL_DISABLED")).isEqualTo(2);
        assertThat(cheers("counted", "")).isEqualTo(1);
    }

    @Test
    void cheersOfUnknownNonConsentingOrSelfAndTooOldOnesAreDroppedWithTheirReason() {
        join("p-1", "Europe/Berlin", null);
        join("p-2", "Europe/Berlin", null);
        d.profile(EngagementDriver.participant("p-noconsent", "Europe/Berlin")
                .setConsent(false)
                .build());
        Instant at = Instant.parse("2026-11-20T10:00:00Z");

        d.send(EngagementDriver.cheer("p-1", "p-nobody", at));
        d.send(EngagementDriver.cheer("p-noconsent", "p-1", at));
        d.send(EngagementDriver.cheer("p-1", "p-1", at));
        d.send(EngagementDriver.cheer("p-1", "p-2", at.minus(Duration.ofDays(8))), at);
        d.send(EngagementDriver.cheer("p-1", "p-2", at.plus(Duration.ofHours(1))), at);

        assertThat(cheerAwards("p-1")).isEmpty();
        assertThat(cheers("dropped", "UNKNOWN_PARTICIPANT")).isEqualTo(1);
        assertThat(cheers("dropped", "NO_CONSENT")).isEqualTo(1);
        assertThat(cheers("dropped", "SELF")).isEqualTo(1);
        assertThat(cheers("dropped", "TOO_LATE")).isEqualTo(1);
        assertThat(cheers("dropped", "FUTURE")).isEqualTo(1);
    }

    @Test
    void cheerPointsAreCappedPerLocalDayOfTheGiver() {
        d.program(EngagementDriver.program(PROG)
                .setPoints(PointRules.newBuilder()
                        .setCheerGiven(3)
                        .setMaxCheersPerDay(2)
                        .build())
                .build());
        join("p-akl", "Pacific/Auckland", null);
        join("p-2", "Europe/Berlin", null);
        // 22:00, 23:00 and 23:30 on 2026-11-20 in Auckland, then 00:30 on 2026-11-21 (all 2026-11-20 in UTC)
        for (String t : List.of("09:00", "10:00", "10:30", "11:30")) {
            d.send(EngagementDriver.cheer("p-akl", "p-2", Instant.parse("2026-11-20T" + t + ":00Z")));
        }

        assertThat(cheerAwards("p-akl"))
                .extracting(p -> p.getDate().toString() + "+" + p.getPoints())
                .containsExactly("2026-11-20+3", "2026-11-20+3", "2026-11-21+3");
        assertThat(d.queries().summary("p-akl").orElseThrow().points()).isEqualTo(9);
        // every counted cheer counts for the recipient, capped or not
        assertThat(d.social().cheersReceived("p-2", LocalDate.parse("2026-11-20")))
                .isEqualTo(4);
        assertThat(cheers("counted", "")).isEqualTo(4);
    }

    @Test
    void likesAndCommentsCountAsCheers() {
        join("p-1", "Europe/Berlin", null);
        join("p-2", "Europe/Berlin", null);
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        for (CheerKind kind : CheerKind.values()) {
            Cheer c = EngagementDriver.cheer("p-1", "p-2", at);
            d.send(Cheer.newBuilder(c)
                    .setKind(kind)
                    .setCheerId(c.getCheerId() + ":" + kind)
                    .build());
        }
        assertThat(cheerAwards("p-1")).hasSize(CheerKind.values().length);
        assertThat(d.social().cheersReceived("p-2", LocalDate.parse("2026-11-20")))
                .isEqualTo(CheerKind.values().length);
    }

    @Test
    void aResentCheerCountsOnce() {
        join("p-1", "Europe/Berlin", null);
        join("p-2", "Europe/Berlin", null);
        Cheer c = EngagementDriver.cheer("p-1", "p-2", Instant.parse("2026-11-20T10:00:00Z"));

        d.send(c);
        d.send(c, Instant.parse("2026-11-20T10:05:00Z"));

        assertThat(cheerAwards("p-1"))
                .extracting(PointsAwarded::getAwardId)
                .containsExactly("points:p-1:CHEER_GIVEN:" + c.getCheerId());
        assertThat(d.social().cheersReceived("p-2", LocalDate.parse("2026-11-20")))
                .isEqualTo(1);
        assertThat(cheers("dropped", "DUPLICATE")).isEqualTo(1);
    }

    @Test
    void cheerPointsCountTowardsDonations() {
        d.program(EngagementDriver.program(PROG).setPointsPerDonation(2).build());
        join("p-1", "Europe/Berlin", null);
        join("p-2", "Europe/Berlin", null);
        d.send(EngagementDriver.cheer("p-1", "p-2", Instant.parse("2026-11-20T10:00:00Z")));
        d.send(EngagementDriver.cheer("p-1", "p-2", Instant.parse("2026-11-20T10:01:00Z")));
        d.advanceWallClock(Duration.ofSeconds(1));

        assertThat(d.donations).extracting(x -> x.getDonationId().toString()).containsExactly("don:" + PROG + ":p-1:1");
    }
}
