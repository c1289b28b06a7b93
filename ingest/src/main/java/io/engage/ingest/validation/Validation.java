package io.engage.ingest.validation;

import io.engage.avro.RejectReason;

/** The outcome of validating one reading: valid in canonical units, or rejected with a reason. */
public sealed interface Validation {

    /** Passed. */
    record Valid(CanonicalReading reading) implements Validation {}

    /**
     * Failed the first check in the order docs/ingest.md gives; {@code detail} says what exactly, for the dead letter
     * and the gateway.
     */
    record Invalid(RejectReason reason, String detail) implements Validation {}

    default boolean valid() {
        return this instanceof Valid;
    }
}
