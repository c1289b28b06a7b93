package io.engage.simulator;

import io.engage.avro.RejectReason;

/**
 * What the sink answered for one generated reading, next to what the generator expected: the per-reading record
 * an oracle needs (a failed reading was not delivered, so it must not be expected downstream).
 *
 * @param reading  the generated reading with its expected reason
 * @param status   the sink's answer
 * @param answered the reason the sink rejected it with, or null
 */
public record ReadingOutcome(SimulatedReading reading, SendResult.Status status, RejectReason answered) {

    /**
     * Whether a validating sink's answer contradicts the expectation: it accepted a reading that fails a check
     * needing no reference data, or rejected one with another reason. Reference-data reasons (UNKNOWN_DEVICE,
     * NO_CONSENT) are decided downstream, so the gateway accepts those.
     */
    public boolean contradictsExpectation() {
        return switch (status) {
            case FAILED -> false;
            case ACCEPTED -> reading.kind().decidedWithoutReferenceData();
            case REJECTED -> answered != reading.expectedReason();
        };
    }
}
