package io.engage.streams.activity;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The participant's local day (docs/rules.md): the zone is the profile's IANA zone (carried on the normalised
 * reading as {@code zoneId}); when the profile has none, the reading's own UTC offset; when neither, UTC.
 */
public final class LocalDay {
    private LocalDay() {}

    /**
     * The zone to split a reading with: {@code profileZone} if it is a zone Java knows, else the reading's own offset
     * ({@code offsetSeconds}, when it is a valid offset), else UTC.
     */
    public static ZoneId zoneFor(String profileZone, Integer offsetSeconds) {
        if (profileZone != null && !profileZone.isBlank()) {
            try {
                return Zones.of(profileZone);
            } catch (DateTimeException e) {
                // an unknown zone counts as none
            }
        }
        if (offsetSeconds != null) {
            try {
                return ZoneOffset.ofTotalSeconds(offsetSeconds);
            } catch (DateTimeException e) {
                // out of range: fall through to UTC
            }
        }
        return ZoneOffset.UTC;
    }

    /**
     * The local date a heart-rate reading belongs to: the date of its instant for a point reading, of its start for an
     * interval (heart rate is not split over hours).
     */
    public static LocalDate dateOf(Instant start, ZoneId zone) {
        return LocalDate.ofInstant(start, zone);
    }
}
