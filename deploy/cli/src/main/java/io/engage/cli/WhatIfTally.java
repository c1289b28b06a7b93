package io.engage.cli;

import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.PointsAwarded;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The figures {@code ./engage replay what-if} compares (docs/replay.md), for one programme and the local dates
 * {@code [from, to]}, tallied from the engagement application's outputs: goal days by metric from
 * {@code goals.achieved}, points from {@code engagement.points} (both by their local date), donations from
 * {@code donations} (the last status of each donation id; by the local date of its trigger time in the participant's
 * zone, UTC for a team's). The same tally reads the production topics (the actual column) and the what-if run's.
 */
final class WhatIfTally {
    /** What one column of the comparison shows. */
    record Figures(
            long stepGoalDays,
            long activeMinutesGoalDays,
            long points,
            long donationsMade,
            long donationsDeferred,
            Map<String, Long> madeByBeneficiary,
            long participantsWithDonation,
            long budget) {}

    private final String programId;
    private final LocalDate from;
    private final LocalDate to;
    private final Function<String, ZoneId> zoneOf;
    private final Set<String> goalIds = new HashSet<>();
    private final Set<String> awardIds = new HashSet<>();
    private final Map<String, Donation> donations = new HashMap<>();
    private long stepGoalDays;
    private long activeMinutesGoalDays;
    private long points;

    /**
     * @param zoneOf a participant's zone (null when unknown: UTC), for the date of a donation's trigger time
     */
    WhatIfTally(String programId, LocalDate from, LocalDate to, Function<String, ZoneId> zoneOf) {
        this.programId = programId;
        this.from = from;
        this.to = to;
        this.zoneOf = zoneOf;
    }

    private boolean inRange(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(to);
    }

    /** A goal event: counted once per event id (a goal event read twice is one goal day). */
    void goal(GoalAchieved g) {
        if (g.getProgramId().equals(programId) && inRange(g.getDate()) && goalIds.add(g.getEventId())) {
            if (g.getMetric() == Metric.steps) {
                stepGoalDays++;
            } else {
                activeMinutesGoalDays++;
            }
        }
    }

    /** A points award: counted once per award id. */
    void points(PointsAwarded p) {
        if (p.getProgramId().equals(programId) && inRange(p.getDate()) && awardIds.add(p.getAwardId())) {
            points += p.getPoints();
        }
    }

    /** A donation record: the last status of each donation id counts (a deferred one may be released later). */
    void donation(Donation d) {
        if (!d.getProgramId().equals(programId) || !inRange(triggerDate(d))) {
            return;
        }
        Donation before = donations.get(d.getDonationId());
        // a donation, once made, stays made: a replayed DEFERRED after its RELEASED does not undo it
        if (before == null || before.getStatus() == DonationStatus.DEFERRED) {
            donations.put(d.getDonationId(), d);
        }
    }

    private LocalDate triggerDate(Donation d) {
        return dateOf(d.getTriggeredAt(), d.getParticipantId() == null ? null : zoneOf.apply(d.getParticipantId()));
    }

    /** The figures so far, with the programme's donation budget. */
    Figures figures(long budget) {
        long made = 0;
        long deferred = 0;
        Map<String, Long> byBeneficiary = new TreeMap<>();
        Set<String> donors = new HashSet<>();
        for (Donation d : donations.values()) {
            if (d.getStatus() == DonationStatus.DEFERRED) {
                deferred++;
                continue;
            }
            made++;
            byBeneficiary.merge(d.getBeneficiary().name(), 1L, Long::sum);
            if (d.getParticipantId() != null) {
                donors.add(d.getParticipantId());
            }
        }
        return new Figures(
                stepGoalDays, activeMinutesGoalDays, points, made, deferred, byBeneficiary, donors.size(), budget);
    }

    /** The local date of an instant in a zone, UTC when the zone is unknown. */
    static LocalDate dateOf(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(at, zone == null ? ZoneOffset.UTC : zone);
    }
}
