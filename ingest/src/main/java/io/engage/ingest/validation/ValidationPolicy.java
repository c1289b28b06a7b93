package io.engage.ingest.validation;

import io.engage.config.EngageConfig;
import java.time.Duration;
import java.util.Objects;

/** Time limits of validation: how late and how far in the future a reading may end. */
public record ValidationPolicy(Duration lateHorizon, Duration clockSkewTolerance) {
    public ValidationPolicy {
        Objects.requireNonNull(lateHorizon, "lateHorizon");
        Objects.requireNonNull(clockSkewTolerance, "clockSkewTolerance");
    }

    /** From {@code late.horizon} and {@code clock.skew.tolerance}. */
    public static ValidationPolicy from(EngageConfig config) {
        return new ValidationPolicy(config.lateHorizon(), config.clockSkewTolerance());
    }

    /** The defaults: 7 days late, 5 minutes early. */
    public static ValidationPolicy defaults() {
        return new ValidationPolicy(Duration.ofDays(7), Duration.ofMinutes(5));
    }
}
