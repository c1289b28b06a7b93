package io.engage.streams.state;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys of the engagement stores: the participant id first, then the rest, joined by NUL. NUL sorts before every other
 * character, so a prefix scan of {@code participantId + NUL} never sees another participant whose id merely starts
 * the same, and ISO dates after the separator sort in date order.
 */
public final class StoreKeys {
    /** The separator between key parts. */
    public static final char SEP = '\u0000';

    private StoreKeys() {}

    /** The parts joined by {@link #SEP}; a part containing the separator is refused. */
    public static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].indexOf(SEP) >= 0) {
                throw new IllegalArgumentException("a key part may not contain NUL: " + parts[i].replace(SEP, '?'));
            }
            if (i > 0) {
                b.append(SEP);
            }
            b.append(parts[i]);
        }
        return b.toString();
    }

    /** The parts of a key made by {@link #join}. */
    public static List<String> split(String key) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = key.indexOf(SEP); i >= 0; i = key.indexOf(SEP, from)) {
            out.add(key.substring(from, i));
            from = i + 1;
        }
        out.add(key.substring(from));
        return out;
    }

    /** The prefix of every key of {@code participantId}. */
    public static String participantPrefix(String participantId) {
        return join(participantId) + SEP;
    }

    /** Key of a participant's local day: {@code participantId NUL yyyy-mm-dd}. */
    public static String day(String participantId, LocalDate date) {
        return join(participantId, date.toString());
    }

    /**
     * Key of a participant's hour bucket: {@code participantId NUL hhhhhhhh}, the UTC hour since the epoch as 8
     * lower-case hex digits, so a participant's buckets sort in time order and a day's buckets are one key range.
     */
    public static String bucket(String participantId, long epochHour) {
        String hex = Long.toHexString(epochHour);
        return join(participantId) + SEP + "00000000".substring(Math.min(8, hex.length())) + hex;
    }

    /**
     * {@code v} as 16 lower-case hex digits (two's complement for a negative value), as {@code %016x} formats it but
     * without a {@link java.util.Formatter}: schedule and nudge keys are built per reading and per due nudge.
     */
    public static String hex16(long v) {
        String hex = Long.toHexString(v);
        return "0000000000000000".substring(hex.length()) + hex;
    }

    /** The UTC hour of a key made by {@link #bucket}. */
    public static long bucketHour(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(SEP) + 1), 16);
    }
}
