package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UNKNOWN_METRIC: the metric is not one of steps, distance, active_minutes, calories, heart_rate. */
class UnknownMetricTest extends NormalizerTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"floors", "Steps", "heart-rate", "sleep"})
    void aMetricOutsideTheListIsUnknown(String metric) {
        n.send(Readings.steps().setMetric(metric).build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.UNKNOWN_METRIC);
        assertThat(r.getMetric()).isEqualTo(metric);
        assertThat(r.getDetail()).contains("'" + metric + "'");
        assertThat(r.getReading().getMetric()).isEqualTo(metric);
    }
}
