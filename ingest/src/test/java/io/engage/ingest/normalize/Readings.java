package io.engage.ingest.normalize;

import io.engage.avro.RawReading;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Test readings: a valid step reading of device dev-1 ending 30 minutes before {@link NormalizerDriver#NOW}. */
final class Readings {
    static final String DEVICE = "dev-1";
    static final String PARTICIPANT = "p-1";

    private Readings() {}

    /** 1,000 steps over 10:30..11:00 UTC written in +01:00. */
    static RawReading.Builder steps() {
        return RawReading.newBuilder()
                .setDeviceId(DEVICE)
                .setMetric("steps")
                .setValue(1000)
                .setUnit("steps")
                .setStart("2026-11-20T11:30:00+01:00")
                .setEnd("2026-11-20T12:00:00+01:00")
                .setSourceRecordId("src-1");
    }

    /** A reading of {@code metric} in {@code unit} over {@code minutes} ending 30 minutes before now. */
    static RawReading.Builder reading(String metric, double value, String unit, double minutes) {
        Instant end = NormalizerDriver.NOW.minusSeconds(1800);
        Instant start = end.minusMillis(Math.round(minutes * 60_000));
        return steps().setMetric(metric)
                .setValue(value)
                .setUnit(unit)
                .setStart(rfc3339(start))
                .setEnd(rfc3339(end));
    }

    /** {@code instant} as RFC 3339 in UTC+01:00. */
    static String rfc3339(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(1)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
