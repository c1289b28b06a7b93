package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Accepted units are converted to the canonical unit: m, kcal, min, beats/min, step count. */
class UnitConversionTest extends NormalizerTestBase {

    @ParameterizedTest(name = "{1} {2} of {0} = {3} canonical")
    @CsvSource({
        "distance,       1.5,  km,        1500",
        "distance,       1,    mi,        1609.344",
        "distance,       1000, ft,        304.8",
        "distance,       250,  m,         250",
        "calories,       418.4, kJ,       100",
        "calories,       120,  Cal,       120",
        "calories,       120,  kcal,      120",
        "active_minutes, 0.25, h,         15",
        "active_minutes, 90,   s,         1.5",
        "active_minutes, 12,   min,       12",
        "heart_rate,     72,   bpm,       72",
        "heart_rate,     64,   beats/min, 64",
        "steps,          1200, count,     1200",
        "steps,          1200, steps,     1200"
    })
    void unitsAreConvertedToTheCanonicalUnit(String metric, double value, String unit, double canonical) {
        n.send(Readings.reading(metric, value, unit, 30).build());
        NormalizedReading r = n.onlyNormalized();
        assertThat(r.getMetric()).isEqualTo(Metric.valueOf(metric));
        assertThat(r.getValue()).isCloseTo(canonical, within(1e-9));
    }
}
