package io.engage.streams.query;

import java.time.LocalDate;

/** A participant's local day for {@code GET /v1/participants/{id}/days/{date}} (docs/query.md). */
public record DayView(
        String participantId, LocalDate date, Totals totals, HeartRate heartRate, Goals goals, Achieved achieved) {

    /** Cumulative totals in canonical units (steps whole). */
    public record Totals(long steps, double distance, double activeMinutes, double calories) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0);
    }

    /** Heart rate over the day's readings; absent (null) without any. */
    public record HeartRate(double min, double max, double mean) {}

    /** The day's goals (fixed at its first reading; for a day without data, what they would be now). */
    public record Goals(int steps, int activeMinutes) {}

    /** Whether each goal was reached. */
    public record Achieved(boolean steps, boolean activeMinutes) {}
}
