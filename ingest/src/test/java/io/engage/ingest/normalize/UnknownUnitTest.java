package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** UNKNOWN_UNIT: the unit is not accepted for the metric; units are case-sensitive. */
class UnknownUnitTest extends NormalizerTestBase {

    @ParameterizedTest
    @CsvSource({"steps,m", "distance,steps", "distance,KM", "active_minutes,hours", "heart_rate,Hz", "calories,kcals"})
    void aUnitTheMetricDoesNotAcceptIsUnknown(String metric, String unit) {
        n.send(Readings.reading(metric, 10, unit, 30).build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.UNKNOWN_UNIT);
        assertThat(r.getDetail()).contains("'" + unit + "'").contains("accepted");
    }

    @Test
    void smallCalIsNotBigCal() {
        // "cal" (gram calorie) is a thousandth of "Cal" (food calorie = kcal): never guess.
        n.send(Readings.reading("calories", 100, "cal", 30).build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.UNKNOWN_UNIT);

        n.send(Readings.reading("calories", 100, "Cal", 30).build());
        assertThat(n.onlyNormalized().getValue()).isEqualTo(100.0);
    }
}
