package io.engage.ingest.normalize;

import io.engage.avro.DeviceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh driver per test, with dev-1 paired to p-1 (a tracker) and p-1 consenting in Europe/Berlin. */
abstract class NormalizerTestBase {
    protected NormalizerDriver n;

    @BeforeEach
    void startDriver() {
        n = new NormalizerDriver();
        n.pair(Readings.DEVICE, Readings.PARTICIPANT, DeviceType.tracker)
                .profile(Readings.PARTICIPANT, true, "Europe/Berlin");
    }

    @AfterEach
    void closeDriver() {
        n.close();
    }
}
