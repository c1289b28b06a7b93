package io.engage.simulator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 3339 timestamps as devices send them: whole seconds and the zone's offset at that instant ({@code Z} for UTC). */
final class Rfc3339 {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
    private static final DateTimeFormatter NO_OFFSET =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private Rfc3339() {}

    static String format(Instant instant, ZoneId zone) {
        return FORMAT.format(OffsetDateTime.ofInstant(instant, zone));
    }

    /** The local date-time without an offset: not RFC 3339 (a MALFORMED timestamp). */
    static String withoutOffset(Instant instant, ZoneId zone) {
        return NO_OFFSET.format(OffsetDateTime.ofInstant(instant, zone));
    }
}
