package io.engage.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import org.junit.jupiter.api.Test;

/** Accepted units, canonical units and metric names (docs/ingest.md). */
class UnitsTest {

    @Test
    void everyMetricAcceptsExactlyTheSpecifiedUnits() {
        assertThat(Units.accepted(Metric.steps)).containsExactly("count", "steps");
        assertThat(Units.accepted(Metric.distance)).containsExactly("ft", "km", "m", "mi");
        assertThat(Units.accepted(Metric.calories)).containsExactly("Cal", "kJ", "kcal");
        assertThat(Units.accepted(Metric.active_minutes)).containsExactly("h", "min", "s");
        assertThat(Units.accepted(Metric.heart_rate)).containsExactly("beats/min", "bpm");
    }

    @Test
    void unitsAreCaseSensitive() {
        assertThat(Units.factor(Metric.calories, "cal")).isEmpty();
        assertThat(Units.factor(Metric.calories, "KCAL")).isEmpty();
        assertThat(Units.factor(Metric.distance, "KM")).isEmpty();
        assertThat(Units.factor(Metric.calories, "Cal")).contains(1.0);
    }

    @Test
    void aUnitOfAnotherMetricIsNotAccepted() {
        assertThat(Units.factor(Metric.steps, "m")).isEmpty();
        assertThat(Units.factor(Metric.active_minutes, "bpm")).isEmpty();
    }

    @Test
    void canonicalUnitsConvertWithFactorOne() {
        for (Metric m : Metric.values()) {
            assertThat(Units.factor(m, Units.canonical(m))).as(m.name()).contains(1.0);
        }
    }

    @Test
    void metricNamesAreExact() {
        assertThat(Units.metric("heart_rate")).contains(Metric.heart_rate);
        assertThat(Units.metric("Heart_Rate")).isEmpty();
        assertThat(Units.metric("heart-rate")).isEmpty();
        assertThat(Units.metric(null)).isEmpty();
    }

    @Test
    void onlyHeartRateIsNotCumulative() {
        assertThat(Metric.values()).filteredOn(m -> !Units.cumulative(m)).containsExactly(Metric.heart_rate);
    }
}
