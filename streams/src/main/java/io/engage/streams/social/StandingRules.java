package io.engage.streams.social;

import io.engage.avro.StandingKey;
import io.engage.avro.StandingPeriod;
import io.engage.avro.StandingScope;
import io.engage.streams.reference.ProfileView;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The standing rules (docs/social.md) as pure functions: what a change of a participant's day steps does to their day
 * and week standings, to their places on the programme's leaderboards and to their team's steps; and what a team's
 * step change does to the team's standings. The week is the ISO week (Monday start) of the participant's own local
 * date, so a team's members in different zones each count on their own date.
 */
public final class StandingRules {
    private StandingRules() {}

    /**
     * What a participant's standings become.
     *
     * @param week     the new week, with the changed day
     * @param unranked leaderboard places to remove (the old ones)
     * @param ranked   leaderboard places to add
     * @param team     the team's step change, or null (no team, or no change)
     * @param moved    when the participant moved to another programme: the old programme's places of the week, to
     *                 be removed with tombstones on their {@code standings} keys (null otherwise); the week's days
     *                 then all take places under the new programme ({@code ranked})
     */
    public record ParticipantUpdate(
            ParticipantWeek week, List<String> unranked, List<String> ranked, TeamDaySteps team, Places moved) {}

    /**
     * The participant's day {@code date} now has {@code steps} (whole steps, as the day view shows them). Null when
     * nothing changes: the same steps as the stored standing of the date, or no steps on a date without one.
     *
     * @param old the stored week of the date (its ISO week), or null
     * @param at  when the steps changed (the reading's record time)
     */
    public static ParticipantUpdate daySteps(
            String participantId, ProfileView profile, LocalDate date, long steps, ParticipantWeek old, Instant at) {
        long before = old == null ? ParticipantWeek.NONE : old.day(date);
        if (before == ParticipantWeek.NONE ? steps == 0 : before == steps) {
            return null;
        }
        long delta = steps - Math.max(0, before);
        String programId = profile.programId();
        String teamId = profile.inTeam() ? profile.teamId() : null;
        LocalDate monday = StandingKeys.periodStart(StandingPeriod.week, date);
        ParticipantWeek week = (old == null ? ParticipantWeek.empty(programId, teamId, true, at) : old)
                .with(date, steps, programId, teamId, profile.leaderboardVisible(), at);
        List<String> unranked = new ArrayList<>(2);
        Places moved = old != null && !old.programId().equals(programId) ? placesOf(participantId, monday, old) : null;
        if (moved == null && before != ParticipantWeek.NONE) {
            unranked.add(StandingKeys.rank(old.programId(), StandingPeriod.day, date, before, participantId));
        }
        if (old != null && moved == null) {
            unranked.add(StandingKeys.rank(old.programId(), StandingPeriod.week, monday, old.total(), participantId));
        }
        List<String> ranked = moved != null
                ? placesOf(participantId, monday, week).ranks()
                : List.of(
                        StandingKeys.rank(programId, StandingPeriod.day, date, steps, participantId),
                        StandingKeys.rank(programId, StandingPeriod.week, monday, week.total(), participantId));
        TeamDaySteps team = teamId == null ? null : new TeamDaySteps(programId, teamId, date, delta, at);
        return new ParticipantUpdate(week, unranked, ranked, team, moved);
    }

    /**
     * Where a participant's week is on record: its leaderboard places (each day with a standing, and the week) and its
     * {@code standings} keys; what an erasure removes.
     */
    public record Places(List<String> ranks, List<StandingKey> standings) {}

    /** The places of the participant's week starting {@code monday}. */
    public static Places placesOf(String participantId, LocalDate monday, ParticipantWeek week) {
        List<String> ranks = new ArrayList<>(8);
        List<StandingKey> keys = new ArrayList<>(8);
        for (int i = 0; i < 7; i++) {
            long steps = week.day(i);
            if (steps != ParticipantWeek.NONE) {
                LocalDate date = monday.plusDays(i);
                ranks.add(StandingKeys.rank(week.programId(), StandingPeriod.day, date, steps, participantId));
                keys.add(new StandingKey(
                        week.programId(), StandingScope.participant, participantId, StandingPeriod.day, date));
            }
        }
        ranks.add(StandingKeys.rank(week.programId(), StandingPeriod.week, monday, week.total(), participantId));
        keys.add(new StandingKey(
                week.programId(), StandingScope.participant, participantId, StandingPeriod.week, monday));
        return new Places(ranks, keys);
    }

    /**
     * What a team's standing of one period becomes.
     *
     * @param key      the team standing's store key
     * @param steps    the new steps
     * @param unranked the old leaderboard place, or null (none before)
     * @param ranked   the new leaderboard place
     */
    public record TeamUpdate(
            StandingPeriod period, LocalDate start, String key, long steps, String unranked, String ranked) {}

    /**
     * What {@code change} does to the team's day and week standings, given their stored steps (null: none yet).
     * Empty when the change is zero.
     */
    public static List<TeamUpdate> teamSteps(TeamDaySteps change, Long oldDay, Long oldWeek) {
        if (change.steps() == 0) {
            return List.of();
        }
        return List.of(team(change, StandingPeriod.day, oldDay), team(change, StandingPeriod.week, oldWeek));
    }

    private static TeamUpdate team(TeamDaySteps change, StandingPeriod period, Long old) {
        LocalDate start = StandingKeys.periodStart(period, change.date());
        long steps = Math.max(0, (old == null ? 0 : old) + change.steps());
        return new TeamUpdate(
                period,
                start,
                StandingKeys.teamStanding(change.programId(), period, start, change.teamId()),
                steps,
                old == null ? null : StandingKeys.rank(change.programId(), period, start, old, change.teamId()),
                StandingKeys.rank(change.programId(), period, start, steps, change.teamId()));
    }
}
