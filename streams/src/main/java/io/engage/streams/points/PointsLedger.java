package io.engage.streams.points;

import java.time.Instant;
import java.time.LocalDate;

import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;

/**
 * Point awards with deterministic ids (SPEC section 4): the same achievement always gives the same award id, so a
 * consumer (and the donation step) can ignore an id it has seen. A participant's total is the sum of their awards.
 *
 * <ul>
 *   <li>step goal day: {@code points:{participantId}:{date}:STEP_GOAL}</li>
 *   <li>active-minutes goal day: {@code points:{participantId}:{date}:ACTIVE_MINUTES_GOAL}</li>
 *   <li>streak milestone: {@code points:{participantId}:{streakStart}:STREAK_MILESTONE:{days}}</li>
 * </ul>
 * Cheers (a later issue) add {@code CHEER_GIVEN} awards through {@link #award} with an id of their own.
 */
public final class PointsLedger {
    private PointsLedger() {
    }

    public static String stepGoalId(String participantId, LocalDate date) {
        return "points:" + participantId + ":" + date + ":" + PointsReason.STEP_GOAL;
    }

    public static String activeMinutesGoalId(String participantId, LocalDate date) {
        return "points:" + participantId + ":" + date + ":" + PointsReason.ACTIVE_MINUTES_GOAL;
    }

    public static String milestoneId(String participantId, LocalDate streakStart, int milestone) {
        return "points:" + participantId + ":" + streakStart + ":" + PointsReason.STREAK_MILESTONE + ":" + milestone;
    }

    /** One award. */
    public static PointsAwarded award(String awardId, String participantId, String programId, PointsReason reason,
                                      int points, LocalDate date, String sourceEventId, Instant at) {
        return PointsAwarded.newBuilder()
                .setAwardId(awardId)
                .setParticipantId(participantId)
                .setProgramId(programId)
                .setReason(reason)
                .setPoints(points)
                .setDate(date)
                .setSourceEventId(sourceEventId)
                .setAt(at)
                .build();
    }
}
