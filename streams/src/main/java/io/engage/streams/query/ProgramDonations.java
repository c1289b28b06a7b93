package io.engage.streams.query;

import java.util.SortedMap;

/**
 * A programme's donations for {@code GET /v1/programs/{id}/donations} (docs/query.md).
 *
 * @param budget        the sponsor's cap ({@code donationBudget})
 * @param triggered     donations made: {@code TRIGGERED} plus {@code RELEASED}
 * @param deferred      donations waiting for budget
 * @param remaining     budget left for new donations
 * @param byBeneficiary donations made per beneficiary group
 */
public record ProgramDonations(
        String programId,
        long budget,
        long triggered,
        long deferred,
        long remaining,
        SortedMap<String, Long> byBeneficiary) {}
