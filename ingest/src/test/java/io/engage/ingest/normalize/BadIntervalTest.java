package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import org.junit.jupiter.api.Test;

/** BAD_INTERVAL: end before start, zero length for a cumulative metric, longer than 24 hours. */
class BadIntervalTest extends NormalizerTestBase {

    @Test
    void endBeforeStartIsABadInterval() {
        n.send(Readings.steps()
                .setStart("2026-11-20T12:00:00+01:00")
                .setEnd("2026-11-20T11:59:59+01:00")
                .build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.BAD_INTERVAL);
        assertThat(r.getDetail()).contains("before start");
    }

    @Test
    void endBeforeStartAcrossOffsetsIsComparedAsInstants() {
        // 11:00+01:00 is 10:00Z, which is before 10:30Z: a bad interval although 11:00 > 10:30 on paper.
        n.send(Readings.steps()
                .setStart("2026-11-20T10:30:00Z")
                .setEnd("2026-11-20T11:00:00+01:00")
                .build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.BAD_INTERVAL);
    }

    @Test
    void zeroLengthStepsAreABadInterval() {
        n.send(Readings.steps()
                .setStart("2026-11-20T11:30:00+01:00")
                .setEnd("2026-11-20T11:30:00+01:00")
                .build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.BAD_INTERVAL);
        assertThat(r.getDetail()).contains("start equals end");
    }

    @Test
    void zeroLengthIsABadIntervalForEveryCumulativeMetric() {
        for (String[] mu : new String[][] {{"distance", "m"}, {"calories", "kcal"}, {"active_minutes", "min"}}) {
            n.send(Readings.reading(mu[0], 1, mu[1], 0).build());
            assertThat(n.onlyRejected().getReason()).as(mu[0]).isEqualTo(RejectReason.BAD_INTERVAL);
        }
    }

    @Test
    void aPointInTimeHeartRateIsFine() {
        n.send(Readings.reading("heart_rate", 72, "bpm", 0).build());
        assertThat(n.onlyNormalized().getValue()).isEqualTo(72.0);
    }

    @Test
    void longerThan24HoursIsABadInterval() {
        n.send(Readings.steps()
                .setStart("2026-11-19T11:59:59+01:00")
                .setEnd("2026-11-20T12:00:00+01:00")
                .build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.BAD_INTERVAL);
        assertThat(r.getDetail()).contains("longer than 24 hours");
    }

    @Test
    void exactly24HoursIsFine() {
        n.send(Readings.steps()
                .setStart("2026-11-19T12:00:00+01:00")
                .setEnd("2026-11-20T12:00:00+01:00")
                .build());
        assertThat(n.onlyNormalized().getValue()).isEqualTo(1000.0);
    }
}
