package io.engage.streams.query;

import java.time.LocalDate;

/**
 * A participant's progress for {@code GET /v1/participants/{id}} (docs/query.md).
 *
 * @param donations            donations the participant's points have given so far (triggered, released or deferred)
 * @param pointsToNextDonation points missing to the next donation threshold; null when the programme gives no
 *                             points donations or the participant reached {@code maxDonationsPerParticipant}
 */
public record ParticipantSummary(
        String participantId,
        String programId,
        String teamId,
        LocalDate today,
        int stepGoalToday,
        int currentStreak,
        int longestStreak,
        long points,
        long donations,
        Long pointsToNextDonation) {}
