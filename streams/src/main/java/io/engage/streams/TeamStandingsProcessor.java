package io.engage.streams;

import io.engage.avro.Standing;
import io.engage.avro.StandingKey;
import io.engage.avro.StandingPeriod;
import io.engage.avro.StandingScope;
import io.engage.streams.social.StandingKeys;
import io.engage.streams.social.StandingRules;
import io.engage.streams.social.TeamDaySteps;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Plumbing of the team standings (docs/social.md) around {@link StandingRules#teamSteps}: on the task that holds a
 * programme (its team step changes are re-keyed by programme id), each change of a team's steps on a local date
 * updates the team's day and week standings and leaderboard places, and sends the new standings to
 * {@code standings}.
 */
final class TeamStandingsProcessor implements Processor<String, TeamDaySteps, StandingKey, Standing> {
    private static final byte[] PRESENT = new byte[0];

    private ProcessorContext<StandingKey, Standing> context;
    private KeyValueStore<String, Long> standings;
    private KeyValueStore<String, byte[]> ranking;

    @Override
    public void init(ProcessorContext<StandingKey, Standing> context) {
        this.context = context;
        standings = context.getStateStore(EngagementStores.TEAM_STANDINGS);
        ranking = context.getStateStore(EngagementStores.TEAM_RANKING);
    }

    @Override
    public void process(Record<String, TeamDaySteps> record) {
        TeamDaySteps change = record.value();
        if (change == null) {
            return;
        }
        String dayKey = key(change, StandingPeriod.day);
        String weekKey = key(change, StandingPeriod.week);
        for (StandingRules.TeamUpdate u :
                StandingRules.teamSteps(change, standings.get(dayKey), standings.get(weekKey))) {
            standings.put(u.key(), u.steps());
            if (u.unranked() != null) {
                ranking.delete(u.unranked());
            }
            ranking.put(u.ranked(), PRESENT);
            context.forward(new Record<>(
                    new StandingKey(change.programId(), StandingScope.team, change.teamId(), u.period(), u.start()),
                    Standing.newBuilder()
                            .setProgramId(change.programId())
                            .setScope(StandingScope.team)
                            .setEntityId(change.teamId())
                            .setTeamId(change.teamId())
                            .setPeriod(u.period())
                            .setPeriodStart(u.start())
                            .setSteps(u.steps())
                            .setVisible(true)
                            .setUpdatedAt(change.at())
                            .build(),
                    record.timestamp()));
        }
    }

    private static String key(TeamDaySteps change, StandingPeriod period) {
        return StandingKeys.teamStanding(
                change.programId(), period, StandingKeys.periodStart(period, change.date()), change.teamId());
    }
}
