package io.engage.cli;

import java.time.Instant;

/**
 * One exported record: where it was, its time, and its key and value decoded (Avro records, strings, or null for a
 * tombstone); {@code error} says why a part could not be decoded (it is then null).
 */
public record ExportRecord(
        String topic, int partition, long offset, Instant timestamp, Object key, Object value, String error) {}
