package io.engage.streams.query;

import java.time.LocalDate;

/**
 * A participant's progress for {@code GET /v1/participants/{id}} (SPEC section 9), without the donation fields
 * (they come with the philanthropy issue).
 */
public record ParticipantSummary(String participantId, String programId, String teamId, LocalDate today,
                                 int stepGoalToday, int currentStreak, int longestStreak, long points) {
}
