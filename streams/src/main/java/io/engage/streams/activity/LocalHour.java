package io.engage.streams.activity;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One local clock hour of a participant: its wall-clock label (date and hour) and the UTC offset in force.
 * The offset tells apart the two 01:00 hours of a day that falls back, and a half hour cut short by a 30-minute
 * daylight-saving change (Australia/Lord_Howe) is still the hour its label says.
 */
public record LocalHour(LocalDateTime label, ZoneOffset offset) implements Comparable<LocalHour> {
    public LocalHour {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(offset, "offset");
        if (label.getMinute() != 0 || label.getSecond() != 0 || label.getNano() != 0) {
            throw new IllegalArgumentException("a local hour label is a whole hour: " + label);
        }
    }

    /** The participant's local date the hour belongs to. */
    public LocalDate date() {
        return label.toLocalDate();
    }

    /** The hour of day, 0-23. */
    public int hourOfDay() {
        return label.getHour();
    }

    /** A compact, sortable key such as {@code 2026-11-01T01+11:00}. */
    public String key() {
        return label.toLocalDate() + "T" + (label.getHour() < 10 ? "0" : "") + label.getHour() + offset.getId();
    }

    /** Parses {@link #key()}. */
    public static LocalHour parse(String key) {
        int t = key.indexOf('T');
        LocalDate date = LocalDate.parse(key.substring(0, t));
        int hour = Integer.parseInt(key.substring(t + 1, t + 3));
        return new LocalHour(date.atTime(hour, 0), ZoneOffset.of(key.substring(t + 3)));
    }

    @Override
    public int compareTo(LocalHour o) {
        // timeline order: the instant the labelled hour starts at in its offset
        int c = label.toInstant(offset).compareTo(o.label.toInstant(o.offset));
        return c != 0 ? c : label.compareTo(o.label);
    }
}
