package io.engage.streams;

import io.engage.avro.Standing;
import io.engage.avro.StandingKey;
import io.engage.avro.StandingPeriod;
import io.engage.avro.StandingScope;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.Micros;
import io.engage.streams.philanthropy.DonationIntent;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.social.ParticipantWeek;
import io.engage.streams.social.StandingKeys;
import io.engage.streams.social.StandingRules;
import io.engage.streams.social.TeamDaySteps;
import io.engage.streams.state.PrefixDelete;
import io.engage.streams.state.StoreKeys;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Plumbing of the participant side of the standings (docs/social.md) around {@link StandingRules}. A reading that
 * changes a participant's day steps only marks the day ({@link #changed}, one cached write); once a second
 * ({@link #update}) each marked day's steps go to the participant's week (which holds the days) and their places on the
 * programme's leaderboards, and the change to their team's pending steps of that local date, which are then sent to
 * the team standings and the donation ledger (one record per team and date, and one per team). So a day that many
 * readings change within a second updates its standings once. The marks are a store, written in the same transaction
 * as the days: a crash between a reading and the next update loses neither. The standings leave for
 * {@code standings} at the commit, from the weeks store's record cache ({@link SentOnCommit}): the week and each of
 * its days that changed since the last commit.
 */
final class Social {
    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<String, ProfileView> profiles;
    private final KeyValueStore<String, DayState> days;
    private final KeyValueStore<String, byte[]> changed;
    private final KeyValueStore<String, ParticipantWeek> weeks;
    private final KeyValueStore<String, byte[]> ranking;
    private final KeyValueStore<String, Long> teamPending;
    private final Consumer<Record<String, EngagementOutput>> forward;
    private final boolean sentOnCommit;

    Social(
            ProcessorContext<String, EngagementOutput> context,
            KeyValueStore<String, ProfileView> profiles,
            KeyValueStore<String, DayState> days,
            Consumer<Record<String, EngagementOutput>> forward) {
        this.profiles = profiles;
        this.days = days;
        this.changed = context.getStateStore(EngagementStores.CHANGED_DAYS);
        this.weeks = context.getStateStore(EngagementStores.STANDINGS);
        this.ranking = context.getStateStore(EngagementStores.RANKING);
        this.teamPending = context.getStateStore(EngagementStores.TEAM_STEPS);
        this.forward = forward;
        this.sentOnCommit = SentOnCommit.attach(context, weeks, true, Social::standingRecords);
    }

    /** A reading changed the steps of the participant's local date {@code date}. */
    void changed(String pid, LocalDate date) {
        changed.put(StoreKeys.day(pid, date), PRESENT);
    }

    /**
     * The standings take the marked days, then the teams' pending steps are sent. A participant without a consenting
     * profile (withdrawn or erased since) gets no new standings.
     */
    void update(long now) {
        List<String> marked = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = changed.all()) {
            it.forEachRemaining(kv -> marked.add(kv.key));
        }
        for (String key : marked) {
            changed.delete(key);
            int sep = key.lastIndexOf(StoreKeys.SEP);
            String pid = key.substring(0, sep);
            ProfileView profile = profiles.get(pid);
            DayState day = days.get(key);
            if (profile != null && profile.consent() && day != null) {
                daySteps(pid, profile, LocalDate.parse(key.substring(sep + 1)), day.steps(), day.updatedAt());
            }
        }
        flushTeams(now);
    }

    /** The participant's day {@code date} now has {@code steps} whole steps (as the day view shows them). */
    private void daySteps(String pid, ProfileView profile, LocalDate date, long steps, Instant at) {
        String key = StandingKeys.week(pid, StandingKeys.periodStart(StandingPeriod.week, date));
        ParticipantWeek old = weeks.get(key);
        StandingRules.ParticipantUpdate u = StandingRules.daySteps(pid, profile, date, steps, old, at);
        if (u == null) {
            return;
        }
        weeks.put(key, u.week());
        if (u.moved() != null) {
            retract(pid, u.moved(), at);
        }
        u.unranked().forEach(ranking::delete);
        u.ranked().forEach(k -> ranking.put(k, PRESENT));
        if (u.team() != null) {
            String pending =
                    StandingKeys.teamPending(u.team().programId(), u.team().teamId(), date);
            Long sum = teamPending.get(pending);
            teamPending.put(pending, (sum == null ? 0 : sum) + u.team().steps());
        }
        if (!sentOnCommit) {
            standingRecords(key, u.week(), old).forEach(forward);
        }
    }

    /**
     * Forgets an erased participant (docs/privacy.md): their marked days, their weeks and leaderboard places, with a
     * tombstone on {@code standings} for each of their day and week standings. Their team's standings keep the steps
     * they contributed (a team total is a sum, not the member's data), and so do their team's pending steps. Returns
     * the programmes the weeks were filed under.
     */
    java.util.Set<String> forget(String pid) {
        java.util.Set<String> programmes = new java.util.TreeSet<>();
        String prefix = StoreKeys.participantPrefix(pid);
        PrefixDelete.delete(changed, prefix);
        for (KeyValue<String, ParticipantWeek> kv : PrefixDelete.delete(weeks, prefix)) {
            LocalDate monday = LocalDate.parse(kv.key.substring(prefix.length()));
            retract(pid, StandingRules.placesOf(pid, monday, kv.value), kv.value.updatedAt());
            programmes.add(kv.value.programId());
        }
        return programmes;
    }

    /** Removes leaderboard places and puts a tombstone on each of their {@code standings} keys. */
    private void retract(String pid, StandingRules.Places places, Instant at) {
        places.ranks().forEach(ranking::delete);
        for (StandingKey key : places.standings()) {
            forward.accept(new Record<>(pid, new EngagementOutput.Standing(key, null), at.toEpochMilli()));
        }
    }

    /**
     * Sends every team's pending step changes: one record per team and local date to the team standings, and one per
     * team (their sum) to the donation ledger (docs/philanthropy.md), keyed by team for now (the topology re-keys both
     * by programme).
     */
    private void flushTeams(long now) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = teamPending.all()) {
            it.forEachRemaining(due::add);
        }
        Instant at = Instant.ofEpochMilli(now);
        Map<List<String>, Long> byTeam = new LinkedHashMap<>();
        for (KeyValue<String, Long> kv : due) {
            teamPending.delete(kv.key);
            List<String> parts = StoreKeys.split(kv.key);
            List<String> team = parts.subList(0, 2);
            if (parts.size() == 2) {
                // written by a release before the standings: the team's steps in millionths, for the ledger only
                byTeam.merge(team, Math.floorDiv(kv.value, Micros.ONE), Long::sum);
                continue;
            }
            byTeam.merge(team, kv.value, Long::sum);
            if (kv.value != 0) {
                TeamDaySteps change =
                        new TeamDaySteps(parts.get(0), parts.get(1), LocalDate.parse(parts.get(2)), kv.value, at);
                forward.accept(new Record<>(change.teamId(), new EngagementOutput.TeamDay(change), now));
            }
        }
        byTeam.forEach((team, steps) -> {
            if (steps != 0) {
                forward.accept(new Record<>(
                        team.get(1),
                        new EngagementOutput.Intent(DonationIntent.teamSteps(team.get(0), team.get(1), steps, at)),
                        now));
            }
        });
    }

    /**
     * The {@code standings} records of a participant's week stored under {@code key}: the week, and each day whose
     * steps differ from {@code previous} (null: all days with a standing).
     */
    private static List<Record<String, EngagementOutput>> standingRecords(
            String key, ParticipantWeek week, ParticipantWeek previous) {
        List<String> parts = StoreKeys.split(key);
        String pid = parts.get(0);
        LocalDate monday = LocalDate.parse(parts.get(1));
        List<Record<String, EngagementOutput>> out = new ArrayList<>(2);
        if (previous != null && !previous.programId().equals(week.programId())) {
            previous = null; // moved to another programme: every day is a new key
        }
        for (int i = 0; i < 7; i++) {
            long steps = week.day(i);
            if (steps != ParticipantWeek.NONE && (previous == null || previous.day(i) != steps)) {
                out.add(record(pid, week, StandingPeriod.day, monday.plusDays(i), steps));
            }
        }
        if (previous == null || previous.total() != week.total() || !out.isEmpty()) {
            out.add(record(pid, week, StandingPeriod.week, monday, week.total()));
        }
        return out;
    }

    private static Record<String, EngagementOutput> record(
            String pid, ParticipantWeek week, StandingPeriod period, LocalDate start, long steps) {
        return new Record<>(
                pid,
                new EngagementOutput.Standing(
                        new StandingKey(week.programId(), StandingScope.participant, pid, period, start),
                        Standing.newBuilder()
                                .setProgramId(week.programId())
                                .setScope(StandingScope.participant)
                                .setEntityId(pid)
                                .setTeamId(week.teamId())
                                .setPeriod(period)
                                .setPeriodStart(start)
                                .setSteps(steps)
                                .setVisible(week.visible())
                                .setUpdatedAt(week.updatedAt())
                                .build()),
                week.updatedAt().toEpochMilli());
    }
}
