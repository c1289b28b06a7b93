package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OUT_OF_RANGE: negative; NaN or infinite; steps above 300 per minute; distance above 15 m/s; calories above
 * 30 kcal/min; active minutes above the interval's minutes; heart rate outside 25..250. Limits are inclusive.
 */
class OutOfRangeTest extends NormalizerTestBase {

    private RejectReason outcome(String metric, double value, String unit, double minutes) {
        n.send(Readings.reading(metric, value, unit, minutes).build());
        if (!n.rejected.isEmpty()) {
            return n.onlyRejected().getReason();
        }
        n.onlyNormalized();
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"steps:steps", "distance:m", "calories:kcal", "active_minutes:min", "heart_rate:bpm"})
    void aNegativeValueIsOutOfRange(String metricUnit) {
        String[] mu = metricUnit.split(":");
        n.send(Readings.reading(mu[0], -1, mu[1], 30).build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(r.getDetail()).contains("negative");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void notANumberOrInfiniteIsOutOfRange(double value) {
        n.send(Readings.reading("steps", value, "steps", 30).build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(r.getDetail()).contains("value is");
    }

    @Test
    void stepsAbove300PerMinuteAreOutOfRange() {
        assertThat(outcome("steps", 9000, "steps", 30)).isNull();
        assertThat(outcome("steps", 9001, "steps", 30)).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void distanceFasterThan15MetresPerSecondIsOutOfRange() {
        assertThat(outcome("distance", 9, "km", 10)).isNull(); // 9,000 m in 600 s: exactly 15 m/s
        assertThat(outcome("distance", 9001, "m", 10)).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(outcome("distance", 6, "mi", 10))
                .isEqualTo(RejectReason.OUT_OF_RANGE); // 9,656 m: checked after conversion
    }

    @Test
    void caloriesAbove30KcalPerMinuteAreOutOfRange() {
        assertThat(outcome("calories", 300, "kcal", 10)).isNull();
        assertThat(outcome("calories", 301, "kcal", 10)).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(outcome("calories", 1300, "kJ", 10)).isEqualTo(RejectReason.OUT_OF_RANGE); // 310.7 kcal
    }

    @Test
    void activeMinutesAboveTheIntervalAreOutOfRange() {
        assertThat(outcome("active_minutes", 30, "min", 30)).isNull();
        assertThat(outcome("active_minutes", 31, "min", 30)).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(outcome("active_minutes", 1, "h", 30)).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @ParameterizedTest
    @CsvSource({"24,OUT_OF_RANGE", "25,", "250,", "251,OUT_OF_RANGE"})
    void heartRateOutside25To250IsOutOfRange(double bpm, RejectReason expected) {
        assertThat(outcome("heart_rate", bpm, "bpm", 0)).isEqualTo(expected);
    }
}
