package io.engage.simulator;

import io.engage.avro.RejectReason;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the generator did to produce a reading, and so what the pipeline must do with it: the kinds without a
 * reason are counted; each {@code INVALID_*} kind must be dead-lettered with exactly its reason.
 */
public enum Kind {
    /** A reading delivered in the device's regular sync shortly after its hour ended. */
    ORIGINAL(null),
    /** A reading delivered in a late sync that carried several days of the device's data at once. */
    LATE_SYNC(null),
    /** An exact re-send of a reading delivered earlier (same identity, same value). */
    DUPLICATE(null),
    /** A later re-send of a reading with the same identity and a different value (the later one wins). */
    CORRECTION(null),
    INVALID_MALFORMED(RejectReason.MALFORMED),
    INVALID_UNKNOWN_METRIC(RejectReason.UNKNOWN_METRIC),
    INVALID_UNKNOWN_UNIT(RejectReason.UNKNOWN_UNIT),
    INVALID_BAD_INTERVAL(RejectReason.BAD_INTERVAL),
    INVALID_OUT_OF_RANGE(RejectReason.OUT_OF_RANGE),
    INVALID_FUTURE(RejectReason.FUTURE),
    INVALID_TOO_LATE(RejectReason.TOO_LATE),
    /** A valid-looking reading from a device that was never paired. */
    INVALID_UNKNOWN_DEVICE(RejectReason.UNKNOWN_DEVICE),
    /** A valid-looking reading from a device of a participant who has not consented. */
    INVALID_NO_CONSENT(RejectReason.NO_CONSENT);

    private final RejectReason reason;

    Kind(RejectReason reason) {
        this.reason = reason;
    }

    /** The reason the pipeline must dead-letter a reading of this kind with; null when it must count it. */
    public RejectReason reason() {
        return reason;
    }

    public boolean invalid() {
        return reason != null;
    }

    /** Whether the gateway (or the validator the topology runs first) decides it, without reference data. */
    public boolean decidedWithoutReferenceData() {
        return reason != null && reason != RejectReason.UNKNOWN_DEVICE && reason != RejectReason.NO_CONSENT;
    }

    /** Every invalid kind. */
    public static Set<Kind> invalidKinds() {
        Set<Kind> s = EnumSet.noneOf(Kind.class);
        for (Kind k : values()) {
            if (k.invalid()) {
                s.add(k);
            }
        }
        return s;
    }
}
