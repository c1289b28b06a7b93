package io.engage.streams.philanthropy;

import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * A programme's donation account, kept by the ledger where every decision for the programme is made.
 *
 * @param budget        the budget the ledger last applied (the programme's {@code donationBudget})
 * @param made          donations made: {@code TRIGGERED} plus {@code RELEASED}; never above a budget applied when
 *                      they were made
 * @param deferred      donations waiting for budget ({@code DEFERRED}, not yet released)
 * @param nextOrder     the order number the next deferred donation gets (releases go oldest first)
 * @param capped        thresholds passed after a participant's {@code maxDonationsPerParticipant}: no donation
 * @param byBeneficiary donations made, per beneficiary group
 * @param erasures      participants of the programme erased so far (docs/privacy.md; a count, no ids)
 */
public record ProgramLedger(
        int budget,
        long made,
        long deferred,
        long nextOrder,
        long capped,
        SortedMap<String, Long> byBeneficiary,
        long erasures) {

    public ProgramLedger {
        byBeneficiary = Collections.unmodifiableSortedMap(new TreeMap<>(byBeneficiary));
    }

    /** A programme's account before any donation. */
    public static ProgramLedger empty(int budget) {
        return new ProgramLedger(budget, 0, 0, 0, 0, new TreeMap<>(), 0);
    }

    /** Budget left for new donations (zero when a lowered budget is already spent). */
    public long remaining() {
        return Math.max(0, budget - made);
    }

    /** Whether one more donation fits the budget. */
    public boolean canMake() {
        return made < budget;
    }

    public ProgramLedger withBudget(int newBudget) {
        return new ProgramLedger(newBudget, made, deferred, nextOrder, capped, byBeneficiary, erasures);
    }

    /** One donation made for {@code beneficiary} (triggered, or released from the deferred ones). */
    public ProgramLedger madeFor(String beneficiary, boolean released) {
        TreeMap<String, Long> by = new TreeMap<>(byBeneficiary);
        by.merge(beneficiary, 1L, Long::sum);
        return new ProgramLedger(budget, made + 1, released ? deferred - 1 : deferred, nextOrder, capped, by, erasures);
    }

    /** One donation deferred: it takes the order number {@link #nextOrder()}. */
    public ProgramLedger deferredOne() {
        return new ProgramLedger(budget, made, deferred + 1, nextOrder + 1, capped, byBeneficiary, erasures);
    }

    /** {@code n} deferred donations withdrawn (their issuer was erased): they will not be released. */
    public ProgramLedger withdrawn(long n) {
        return new ProgramLedger(budget, made, Math.max(0, deferred - n), nextOrder, capped, byBeneficiary, erasures);
    }

    /** One more participant of the programme erased. */
    public ProgramLedger erasedOne() {
        return new ProgramLedger(budget, made, deferred, nextOrder, capped, byBeneficiary, erasures + 1);
    }

    public ProgramLedger cappedOne() {
        return new ProgramLedger(budget, made, deferred, nextOrder, capped + 1, byBeneficiary, erasures);
    }

    /** Store serde; layout 1 had no erasure count (it reads as 0). */
    public static Serde<ProgramLedger> serde() {
        return StateCodec.serde(
                "programme donation ledger", 2, ProgramLedger::write, in -> read(in, 2), Map.of(1, in -> read(in, 1)));
    }

    private static void write(ProgramLedger l, StateCodec.Out out) throws IOException {
        out.int32(l.budget)
                .int64(l.made)
                .int64(l.deferred)
                .int64(l.nextOrder)
                .int64(l.capped)
                .int32(l.byBeneficiary.size());
        for (Map.Entry<String, Long> e : l.byBeneficiary.entrySet()) {
            out.string(e.getKey()).int64(e.getValue());
        }
        out.int64(l.erasures);
    }

    private static ProgramLedger read(StateCodec.In in, int layout) throws IOException {
        int budget = in.int32();
        long made = in.int64();
        long deferred = in.int64();
        long nextOrder = in.int64();
        long capped = in.int64();
        int n = in.int32();
        TreeMap<String, Long> by = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            by.put(in.string(), in.int64());
        }
        long erasures = layout >= 2 ? in.int64() : 0;
        return new ProgramLedger(budget, made, deferred, nextOrder, capped, by, erasures);
    }
}
