package io.engage.streams.social;

import io.engage.avro.StandingPeriod;
import io.engage.streams.state.StoreKeys;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * Keys of the social stores (docs/social.md, "Stored state"). Standings of a participant are keyed participant first
 * (like every participant store); rankings and team standings are keyed programme first, then period and its first
 * date, so a leaderboard is one key range. A ranking key carries the steps inverted (16 hex digits of
 * {@code Long.MAX_VALUE - steps}) before the entity id, so the range lists the most steps first and ties by id.
 */
public final class StandingKeys {
    private static final String ZEROS = "0000000000000000";

    private StandingKeys() {}

    /** The first date of the period that contains {@code date}: the date itself, or the Monday of its ISO week. */
    public static LocalDate periodStart(StandingPeriod period, LocalDate date) {
        return period == StandingPeriod.week ? date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : date;
    }

    /** {@code participant NUL monday}: a participant's week and its days. */
    public static String week(String participantId, LocalDate monday) {
        return StoreKeys.join(participantId, monday.toString());
    }

    /** {@code programme NUL d|w NUL periodStart NUL invertedSteps NUL entity}: a place on a leaderboard. */
    public static String rank(String programId, StandingPeriod period, LocalDate start, long steps, String entityId) {
        String hex = Long.toHexString(Long.MAX_VALUE - Math.max(0, steps));
        return StoreKeys.join(programId, code(period), start.toString(), ZEROS.substring(hex.length()) + hex, entityId);
    }

    /** The prefix of every place on the leaderboard of {@code programId}, {@code period} and {@code start}. */
    public static String rankPrefix(String programId, StandingPeriod period, LocalDate start) {
        return StoreKeys.join(programId, code(period), start.toString()) + StoreKeys.SEP;
    }

    /** The entity (participant or team id) of a key made by {@link #rank}. */
    public static String rankedEntity(String rankKey) {
        return rankKey.substring(rankKey.lastIndexOf(StoreKeys.SEP) + 1);
    }

    /** The steps of a key made by {@link #rank}. */
    public static long rankedSteps(String rankKey) {
        int end = rankKey.lastIndexOf(StoreKeys.SEP);
        return Long.MAX_VALUE - Long.parseUnsignedLong(rankKey.substring(end - 16, end), 16);
    }

    /** {@code programme NUL d|w NUL periodStart NUL team}: a team's standing. */
    public static String teamStanding(String programId, StandingPeriod period, LocalDate start, String teamId) {
        return StoreKeys.join(programId, code(period), start.toString(), teamId);
    }

    /** {@code programme NUL team NUL date}: a team's step change of a local date not yet sent to its standings. */
    public static String teamPending(String programId, String teamId, LocalDate date) {
        return StoreKeys.join(programId, teamId, date.toString());
    }

    /** The largest key of the range that starts with {@code prefix}. */
    public static String rangeEnd(String prefix) {
        return prefix + '\uffff';
    }

    static String code(StandingPeriod period) {
        return period == StandingPeriod.week ? "w" : "d";
    }
}
