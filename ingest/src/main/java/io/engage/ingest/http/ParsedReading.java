package io.engage.ingest.http;

import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;

/** One element of a gateway batch after parsing: a reading to validate, or already rejected (with its index). */
public record ParsedReading(int index, RawReading reading, RejectReason reason, String detail) {

    static ParsedReading ok(int index, RawReading reading) {
        return new ParsedReading(index, reading, null, null);
    }

    static ParsedReading rejected(int index, RejectReason reason, String detail) {
        return new ParsedReading(index, null, reason, detail);
    }

    public boolean parsed() {
        return reading != null;
    }
}
