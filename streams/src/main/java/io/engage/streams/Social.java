package io.engage.streams;

import io.engage.avro.Standing;
import io.engage.avro.StandingKey;
import io.engage.avro.StandingPeriod;
import io.engage.avro.StandingScope;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.social.ParticipantStanding;
import io.engage.streams.social.StandingKeys;
import io.engage.streams.social.StandingRules;
import io.engage.streams.social.TeamDaySteps;
import io.engage.streams.state.StoreKeys;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Plumbing of the participant side of the standings (docs/social.md) around {@link StandingRules}: when a reading
 * changes a participant's day steps it updates their day and week standings and their places on the programme's
 * leaderboards, and adds the change to their team's pending steps of that local date, which {@link #flushTeams} sends
 * to the team standings once a second (one record per team and date, not one per reading). The standings leave for
 * {@code standings} at the commit, from the standings store's record cache ({@link SentOnCommit}).
 */
final class Social {
    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<String, ParticipantStanding> standings;
    private final KeyValueStore<String, byte[]> ranking;
    private final KeyValueStore<String, Long> teamPending;
    private final Consumer<Record<String, EngagementOutput>> forward;
    private final boolean sentOnCommit;

    Social(ProcessorContext<String, EngagementOutput> context, Consumer<Record<String, EngagementOutput>> forward) {
        this.standings = context.getStateStore(EngagementStores.STANDINGS);
        this.ranking = context.getStateStore(EngagementStores.RANKING);
        this.teamPending = context.getStateStore(EngagementStores.TEAM_PENDING);
        this.forward = forward;
        this.sentOnCommit = SentOnCommit.attach(context, standings, Social::standingRecord);
    }

    /** The participant's day {@code date} now has {@code steps} whole steps (as the day view shows them). */
    void daySteps(String pid, ProfileView profile, LocalDate date, long steps, Instant at) {
        String dayKey = StandingKeys.standing(pid, StandingPeriod.day, date);
        ParticipantStanding oldDay = standings.get(dayKey);
        if (oldDay != null && oldDay.steps() == steps) {
            return; // the common case: a reading that moved no whole step
        }
        String weekKey =
                StandingKeys.standing(pid, StandingPeriod.week, StandingKeys.periodStart(StandingPeriod.week, date));
        ParticipantStanding oldWeek = standings.get(weekKey);
        StandingRules.ParticipantUpdate u = StandingRules.daySteps(pid, profile, date, steps, oldDay, oldWeek, at);
        if (u == null) {
            return;
        }
        standings.put(dayKey, u.day());
        standings.put(weekKey, u.week());
        u.unranked().forEach(ranking::delete);
        u.ranked().forEach(k -> ranking.put(k, PRESENT));
        if (u.team() != null) {
            String key = StandingKeys.teamPending(u.team().programId(), u.team().teamId(), date);
            Long pending = teamPending.get(key);
            teamPending.put(key, (pending == null ? 0 : pending) + u.team().steps());
        }
        if (!sentOnCommit) {
            forward.accept(standingRecord(dayKey, u.day()));
            forward.accept(standingRecord(weekKey, u.week()));
        }
    }

    /** Sends every team's pending step changes, one record per team and local date. */
    void flushTeams(long now) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = teamPending.all()) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, Long> kv : due) {
            teamPending.delete(kv.key);
            if (kv.value == 0) {
                continue;
            }
            List<String> parts = StoreKeys.split(kv.key);
            TeamDaySteps change = new TeamDaySteps(
                    parts.get(0), parts.get(1), LocalDate.parse(parts.get(2)), kv.value, Instant.ofEpochMilli(now));
            forward.accept(new Record<>(change.programId(), new EngagementOutput.TeamDay(change), now));
        }
    }

    /** The {@code standings} record of a participant standing stored under {@code key}. */
    private static Record<String, EngagementOutput> standingRecord(String key, ParticipantStanding s) {
        List<String> parts = StoreKeys.split(key);
        String pid = parts.get(0);
        StandingPeriod period = StandingKeys.standingPeriod(key);
        LocalDate start = LocalDate.parse(parts.get(2));
        return new Record<>(
                pid,
                new EngagementOutput.Standing(
                        new StandingKey(s.programId(), StandingScope.participant, pid, period, start),
                        Standing.newBuilder()
                                .setProgramId(s.programId())
                                .setScope(StandingScope.participant)
                                .setEntityId(pid)
                                .setTeamId(s.teamId())
                                .setPeriod(period)
                                .setPeriodStart(start)
                                .setSteps(s.steps())
                                .setVisible(s.visible())
                                .setUpdatedAt(s.updatedAt())
                                .build()),
                s.updatedAt().toEpochMilli());
    }
}
