package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.streams.testing.EngagementDriver;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/rules.md: a re-sent batch never double counts; an exact repeat changes nothing. */
class DuplicateBatchTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void resendingTheSameBatchChangesNothing() {
        List<NormalizedReading> batch = List.of(
                d.steps("p-1", "tracker-1", 1200, "2026-11-20T08:00:00+01:00", "2026-11-20T08:30:00+01:00")
                        .build(),
                d.steps("p-1", "tracker-1", 800, "2026-11-20T08:30:00+01:00", "2026-11-20T09:00:00+01:00")
                        .build(),
                d.reading(
                                "p-1",
                                "tracker-1",
                                Metric.distance,
                                950.5,
                                "2026-11-20T08:00:00+01:00",
                                "2026-11-20T09:00:00+01:00")
                        .build());
        batch.forEach(d::send);
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(2000);
        assertThat(d.day("p-1", "2026-11-20").getDistance()).isEqualTo(950.5);
        int recordsAfterFirst = d.dailyRecords.size();

        batch.forEach(d::send); // the gateway retried the whole batch
        batch.forEach(d::send);

        assertThat(d.dailyRecords).as("no update for a repeat").hasSize(recordsAfterFirst);
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(2000);
        assertThat(d.day("p-1", "2026-11-20").getDistance()).isEqualTo(950.5);
    }
}
