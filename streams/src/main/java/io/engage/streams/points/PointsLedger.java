package io.engage.streams.points;

import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Point awards (docs/rules.md, "Points"): ids come from {@link io.engage.streams.engagement.EventIds}, so the same
 * achievement always gives the same award id and a consumer (and the donation step) can ignore an id it has seen. A
 * participant's total is the sum of their awards.
 */
public final class PointsLedger {
    private PointsLedger() {}

    /** One award. */
    public static PointsAwarded award(
            String awardId,
            String participantId,
            String programId,
            PointsReason reason,
            int points,
            LocalDate date,
            String sourceEventId,
            Instant at) {
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
