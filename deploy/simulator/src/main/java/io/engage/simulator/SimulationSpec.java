package io.engage.simulator;

import io.engage.avro.Metric;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a simulation depends on. The generated population and readings are a pure function of this
 * spec (and of the instant generation stops at): the same spec gives the same bytes.
 *
 * <p>Rates are probabilities per original reading ({@code duplicateRate}, {@code correctionRate},
 * {@code invalidRate}), per device and simulated week ({@code lateSyncRate}) or per participant
 * ({@code dualDeviceRate}, {@code noConsentShare}).
 *
 * @param seed             seeds every random choice
 * @param participants     number of participants ({@code p-00001}, ...)
 * @param teams            number of teams ({@code t-001}, ...); participants are spread over them
 * @param programId        the programme everyone belongs to
 * @param startDate        first local date simulated (in each participant's own zone)
 * @param days             number of local dates simulated
 * @param pace             how fast the {@link Simulator} sends
 * @param duplicateRate    chance that a reading is re-sent unchanged 1-6 hours later
 * @param correctionRate   chance that a reading is re-sent 1-6 hours later with the same identity and another value
 * @param lateSyncRate     chance that a device stays offline for a week's first days and then syncs them at once
 * @param invalidRate      chance that a reading is accompanied by an invalid one of a kind in {@code invalidKinds}
 * @param dualDeviceRate   share of participants wearing a tracker and glasses at once (overlapping step readings)
 * @param noConsentShare   share of participants without consent (their devices send only INVALID_NO_CONSENT readings)
 * @param invalidKinds     the invalid kinds to mix, uniformly
 * @param lateHorizon      the pipeline's late horizon: TOO_LATE readings end before it, late syncs stay inside it
 * @param clockSkewTolerance the pipeline's tolerance for readings ending after they were received
 * @param metrics          the metrics devices report (each device only those of its kind); fewer metrics, fewer
 *                         readings for long simulations
 */
public record SimulationSpec(
        long seed,
        int participants,
        int teams,
        String programId,
        LocalDate startDate,
        int days,
        Pace pace,
        double duplicateRate,
        double correctionRate,
        double lateSyncRate,
        double invalidRate,
        double dualDeviceRate,
        double noConsentShare,
        Set<Kind> invalidKinds,
        Duration lateHorizon,
        Duration clockSkewTolerance,
        Set<Metric> metrics) {

    /** Most days a late sync holds back (the rest of its week syncs normally). */
    static final int MAX_LATE_SYNC_DAYS = 6;

    public SimulationSpec {
        if (participants < 1) {
            throw new IllegalArgumentException("participants must be at least 1, was " + participants);
        }
        if (teams < 1) {
            throw new IllegalArgumentException("teams must be at least 1, was " + teams);
        }
        Objects.requireNonNull(programId, "programId");
        if (!programId.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException(
                    "programId may contain letters, digits, '.', '_', ':' and '-': '" + programId + "'");
        }
        Objects.requireNonNull(startDate, "startDate (or use endingAt(now, days))");
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, was " + days);
        }
        Objects.requireNonNull(pace, "pace");
        rate("duplicateRate", duplicateRate);
        rate("correctionRate", correctionRate);
        rate("lateSyncRate", lateSyncRate);
        rate("invalidRate", invalidRate);
        rate("dualDeviceRate", dualDeviceRate);
        rate("noConsentShare", noConsentShare);
        Objects.requireNonNull(invalidKinds, "invalidKinds");
        // an EnumSet iterates in declaration order, which keeps the choice of kind deterministic
        invalidKinds = Collections.unmodifiableSet(
                invalidKinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(invalidKinds));
        for (Kind k : invalidKinds) {
            if (!k.invalid()) {
                throw new IllegalArgumentException("invalidKinds may hold only INVALID_* kinds, not " + k);
            }
        }
        if (invalidRate > 0 && invalidKinds.isEmpty()) {
            throw new IllegalArgumentException("invalidRate is " + invalidRate + " but invalidKinds is empty");
        }
        Objects.requireNonNull(metrics, "metrics");
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("metrics must name at least one metric");
        }
        metrics = Collections.unmodifiableSet(EnumSet.copyOf(metrics));
        Objects.requireNonNull(lateHorizon, "lateHorizon");
        Objects.requireNonNull(clockSkewTolerance, "clockSkewTolerance");
        if (lateHorizon.compareTo(Duration.ofDays(2)) < 0) {
            throw new IllegalArgumentException(
                    "lateHorizon must be at least P2D for late syncs to fit, was " + lateHorizon);
        }
        if (clockSkewTolerance.isNegative() || clockSkewTolerance.compareTo(Duration.ofHours(6)) > 0) {
            throw new IllegalArgumentException(
                    "clockSkewTolerance must be between 0 and 6 hours, was " + clockSkewTolerance);
        }
    }

    private static void rate(String name, double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + r);
        }
    }

    /** A builder with the defaults: 100 participants, 10 teams, moderate rates, as fast as possible. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The earliest instant any participant's first local day can start (its midnight at UTC+14:00). */
    public Instant startInstant() {
        return startDate.atStartOfDay().toInstant(ZoneOffset.ofHours(14));
    }

    /** The latest instant any participant's last local day can end (its midnight at UTC-12:00). */
    public Instant endInstant() {
        return startDate.plusDays(days).atStartOfDay().toInstant(ZoneOffset.ofHours(-12));
    }

    /** Days a late sync holds back: a week's first six days, fewer when the late horizon is shorter. */
    public int lateSyncDays() {
        return (int) Math.max(1, Math.min(MAX_LATE_SYNC_DAYS, lateHorizon.toDays() - 1));
    }

    /** The spec with every rate at zero: only valid, original readings (from consenting participants). */
    public SimulationSpec clean() {
        return toBuilder()
                .duplicateRate(0)
                .correctionRate(0)
                .lateSyncRate(0)
                .invalidRate(0)
                .noConsentShare(0)
                .build();
    }

    /** Builds a {@link SimulationSpec}; every field has a default except the start date. */
    public static final class Builder {
        private long seed = 1;
        private int participants = 100;
        private int teams = 10;
        private String programId = "prog-sim";
        private LocalDate startDate;
        private int days = 7;
        private Pace pace = Pace.asFastAsPossible();
        private double duplicateRate = 0.02;
        private double correctionRate = 0.01;
        private double lateSyncRate = 0.05;
        private double invalidRate = 0.01;
        private double dualDeviceRate = 0.2;
        private double noConsentShare = 0.03;
        private Set<Kind> invalidKinds = Kind.invalidKinds();
        private Duration lateHorizon = Duration.ofDays(7);
        private Duration clockSkewTolerance = Duration.ofMinutes(5);
        private Set<Metric> metrics = EnumSet.allOf(Metric.class);

        private Builder() {}

        private Builder(SimulationSpec s) {
            seed = s.seed;
            participants = s.participants;
            teams = s.teams;
            programId = s.programId;
            startDate = s.startDate;
            days = s.days;
            pace = s.pace;
            duplicateRate = s.duplicateRate;
            correctionRate = s.correctionRate;
            lateSyncRate = s.lateSyncRate;
            invalidRate = s.invalidRate;
            dualDeviceRate = s.dualDeviceRate;
            noConsentShare = s.noConsentShare;
            invalidKinds = s.invalidKinds;
            lateHorizon = s.lateHorizon;
            clockSkewTolerance = s.clockSkewTolerance;
            metrics = s.metrics;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder participants(int v) {
            participants = v;
            return this;
        }

        public Builder teams(int v) {
            teams = v;
            return this;
        }

        public Builder programId(String v) {
            programId = v;
            return this;
        }

        public Builder startDate(LocalDate v) {
            startDate = v;
            return this;
        }

        public Builder days(int v) {
            days = v;
            return this;
        }

        public Builder pace(Pace v) {
            pace = v;
            return this;
        }

        public Builder duplicateRate(double v) {
            duplicateRate = v;
            return this;
        }

        public Builder correctionRate(double v) {
            correctionRate = v;
            return this;
        }

        public Builder lateSyncRate(double v) {
            lateSyncRate = v;
            return this;
        }

        public Builder invalidRate(double v) {
            invalidRate = v;
            return this;
        }

        public Builder dualDeviceRate(double v) {
            dualDeviceRate = v;
            return this;
        }

        public Builder noConsentShare(double v) {
            noConsentShare = v;
            return this;
        }

        public Builder invalidKinds(Set<Kind> v) {
            invalidKinds = v;
            return this;
        }

        public Builder lateHorizon(Duration v) {
            lateHorizon = v;
            return this;
        }

        public Builder clockSkewTolerance(Duration v) {
            clockSkewTolerance = v;
            return this;
        }

        public Builder metrics(Set<Metric> v) {
            metrics = v;
            return this;
        }

        /**
         * The {@code days} local dates up to and including the UTC date of {@code now}: with generation stopping
         * at {@code now}, a simulation of the recent past (what a demo sends to a gateway that stamps its own clock).
         */
        public Builder endingAt(Instant now, int days) {
            this.days = days;
            this.startDate = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(days - 1L);
            return this;
        }

        public SimulationSpec build() {
            return new SimulationSpec(
                    seed,
                    participants,
                    teams,
                    programId,
                    startDate,
                    days,
                    pace,
                    duplicateRate,
                    correctionRate,
                    lateSyncRate,
                    invalidRate,
                    dualDeviceRate,
                    noConsentShare,
                    invalidKinds,
                    lateHorizon,
                    clockSkewTolerance,
                    metrics);
        }
    }
}
