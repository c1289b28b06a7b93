package io.engage.streams.philanthropy;

import io.engage.streams.state.StateCodec;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the ledger keeps of one participant or team within a programme.
 *
 * @param lastSequence the highest threshold number seen (a threshold at or below it is a repeat and changes nothing)
 * @param donations    donation records created for it ({@code TRIGGERED} or {@code DEFERRED}); the per-participant cap
 *                     counts these
 * @param teamSteps    a team's cumulative steps (unused for a participant)
 */
public record IssuerLedger(long lastSequence, long donations, long teamSteps) {
    public static final IssuerLedger NONE = new IssuerLedger(0, 0, 0);

    public IssuerLedger seen(long sequence) {
        return new IssuerLedger(Math.max(lastSequence, sequence), donations, teamSteps);
    }

    public IssuerLedger donated() {
        return new IssuerLedger(lastSequence, donations + 1, teamSteps);
    }

    public IssuerLedger plusSteps(long steps) {
        return new IssuerLedger(lastSequence, donations, teamSteps + steps);
    }

    /** Store serde. */
    public static Serde<IssuerLedger> serde() {
        return StateCodec.serde(
                "donation issuer",
                1,
                (l, out) -> out.int64(l.lastSequence).int64(l.donations).int64(l.teamSteps),
                in -> new IssuerLedger(in.int64(), in.int64(), in.int64()));
    }
}
