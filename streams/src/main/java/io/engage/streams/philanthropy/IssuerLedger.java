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
 * @param generation   the programme's erasures before this issuer's first threshold ({@link ProgramLedger#erasures()}):
 *                     part of its donation ids, so a participant re-created after an erasure gets new ones
 */
public record IssuerLedger(long lastSequence, long donations, long teamSteps, long generation) {
    public static final IssuerLedger NONE = new IssuerLedger(0, 0, 0, 0);

    public IssuerLedger seen(long sequence) {
        return new IssuerLedger(Math.max(lastSequence, sequence), donations, teamSteps, generation);
    }

    public IssuerLedger donated() {
        return new IssuerLedger(lastSequence, donations + 1, teamSteps, generation);
    }

    public IssuerLedger plusSteps(long steps) {
        return new IssuerLedger(lastSequence, donations, teamSteps + steps, generation);
    }

    public IssuerLedger inGeneration(long g) {
        return new IssuerLedger(lastSequence, donations, teamSteps, g);
    }

    /** Store serde; layout 1 had no generation (it reads as 0). */
    public static Serde<IssuerLedger> serde() {
        return StateCodec.serde(
                "donation issuer",
                2,
                (l, out) -> out.int64(l.lastSequence)
                        .int64(l.donations)
                        .int64(l.teamSteps)
                        .int64(l.generation),
                in -> new IssuerLedger(in.int64(), in.int64(), in.int64(), in.int64()),
                java.util.Map.of(1, in -> new IssuerLedger(in.int64(), in.int64(), in.int64(), 0)));
    }
}
