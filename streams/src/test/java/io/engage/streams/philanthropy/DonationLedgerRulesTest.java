package io.engage.streams.philanthropy;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Donation;
import io.engage.avro.Program;
import io.engage.streams.reference.ProgramRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The donation ledger's rules over a map-backed {@link LedgerState}: no stores, no driver. */
class DonationLedgerRulesTest {
    static {
        io.engage.schemas.AvroTrust.install(); // Avro's trusted packages, as the topic catalogue sets them
    }

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    /** The ledger's state in maps. */
    private static final class MapLedgerState implements LedgerState {
        final Map<String, ProgramLedger> accounts = new HashMap<>();
        final Map<String, IssuerLedger> issuers = new HashMap<>();
        final Map<String, TreeMap<Long, DeferredDonation>> deferred = new HashMap<>();

        @Override
        public ProgramLedger account(String programId) {
            return accounts.get(programId);
        }

        @Override
        public void putAccount(String programId, ProgramLedger account) {
            accounts.put(programId, account);
        }

        @Override
        public IssuerLedger issuer(String programId, String issuer) {
            return issuers.getOrDefault(programId + "/" + issuer, IssuerLedger.NONE);
        }

        @Override
        public void putIssuer(String programId, String issuer, IssuerLedger ledger) {
            issuers.put(programId + "/" + issuer, ledger);
        }

        @Override
        public void defer(String programId, long order, DeferredDonation donation) {
            deferred.computeIfAbsent(programId, k -> new TreeMap<>()).put(order, donation);
        }

        @Override
        public void removeIssuer(String programId, String issuer) {
            issuers.remove(programId + "/" + issuer);
        }

        @Override
        public long removeDeferredOf(String programId, String participantId) {
            TreeMap<Long, DeferredDonation> q = deferred.getOrDefault(programId, new TreeMap<>());
            int before = q.size();
            q.values().removeIf(d -> participantId.equals(d.participantId()));
            return before - q.size();
        }

        @Override
        public List<DeferredDonation> takeOldestDeferred(String programId, long max) {
            List<DeferredDonation> out = new ArrayList<>();
            TreeMap<Long, DeferredDonation> q = deferred.getOrDefault(programId, new TreeMap<>());
            while (!q.isEmpty() && out.size() < max) {
                out.add(q.pollFirstEntry().getValue());
            }
            return out;
        }
    }

    private final MapLedgerState state = new MapLedgerState();
    private final List<Donation> emitted = new ArrayList<>();
    private final DonationLedger ledger = new DonationLedger(state, emitted::add);

    private static ProgramRules rules(int budget, Integer cap) {
        return ProgramRules.of(Program.newBuilder()
                .setProgramId("prog-1")
                .setUpdatedAt(Instant.EPOCH)
                .setDonationBudget(budget)
                .setMaxDonationsPerParticipant(cap)
                .build());
    }

    private void threshold(String participant, long n, ProgramRules rules) {
        ledger.apply(DonationIntent.participant("prog-1", participant, n, null, T), rules, null, T);
    }

    private List<String> statuses() {
        return emitted.stream()
                .map(d -> d.getDonationId() + " " + d.getStatus())
                .toList();
    }

    @Test
    void withinTheBudgetEachThresholdIsOneDonationAndARepeatChangesNothing() {
        threshold("p-1", 1, rules(10, null));
        threshold("p-1", 1, rules(10, null));
        threshold("p-1", 2, rules(10, null));
        assertThat(statuses()).containsExactly("don:prog-1:p-1:1 TRIGGERED", "don:prog-1:p-1:2 TRIGGERED");
        assertThat(state.account("prog-1").made()).isEqualTo(2);
    }

    @Test
    void beyondTheBudgetDonationsWaitAndARaisedBudgetReleasesThemOldestFirst() {
        threshold("p-1", 1, rules(1, null));
        threshold("p-2", 1, rules(1, null));
        threshold("p-3", 1, rules(1, null));
        assertThat(statuses())
                .containsExactly(
                        "don:prog-1:p-1:1 TRIGGERED", "don:prog-1:p-2:1 DEFERRED", "don:prog-1:p-3:1 DEFERRED");
        emitted.clear();
        ledger.applyBudget("prog-1", rules(2, null), T);
        assertThat(statuses()).containsExactly("don:prog-1:p-2:1 RELEASED");
        emitted.clear();
        // a new threshold never overtakes one that waits: the budget is applied first
        threshold("p-4", 1, rules(4, null));
        assertThat(statuses()).containsExactly("don:prog-1:p-3:1 RELEASED", "don:prog-1:p-4:1 TRIGGERED");
        assertThat(state.account("prog-1").made()).isEqualTo(4);
        assertThat(state.account("prog-1").deferred()).isZero();
    }

    @Test
    void aParticipantsThresholdsBeyondTheCapGiveNoDonation() {
        threshold("p-1", 3, rules(10, 2));
        assertThat(statuses()).containsExactly("don:prog-1:p-1:1 TRIGGERED", "don:prog-1:p-1:2 TRIGGERED");
        assertThat(state.account("prog-1").capped()).isEqualTo(1);
    }

    @Test
    void aTeamsStepsGiveOneDonationPerThresholdToTheTeamsGroup() {
        ProgramRules rules = rules(10, null);
        ledger.apply(DonationIntent.teamSteps("prog-1", "t-1", 4_000_000, T), rules, "seniors", T);
        assertThat(emitted).isEmpty();
        ledger.apply(DonationIntent.teamSteps("prog-1", "t-1", 6_500_000, T), rules, "seniors", T);
        assertThat(statuses()).containsExactly("don:prog-1:team:t-1:1 TRIGGERED", "don:prog-1:team:t-1:2 TRIGGERED");
        assertThat(emitted)
                .allSatisfy(d -> assertThat(d.getBeneficiary().name()).isEqualTo("seniors"));
    }

    @Test
    void theFirstDecisionOfAProgrammeOpensItsAccountWithTheBudget() {
        assertThat(ledger.applyBudget("prog-1", rules(7, null), T).budget()).isEqualTo(7);
        assertThat(state.account("prog-1").remaining()).isEqualTo(7);
        assertThat(emitted).isEmpty();
    }

    @Test
    void anErasedParticipantIsForgottenTheirDeferredDonationsWithdrawnAndMadeOnesKept() {
        threshold("p-1", 1, rules(1, null));
        threshold("p-2", 1, rules(1, null));
        threshold("p-2", 2, rules(1, null));
        threshold("p-3", 1, rules(1, null));
        emitted.clear();
        ledger.apply(DonationIntent.erase("prog-1", "p-2", T), rules(1, null), null, T);
        assertThat(state.issuers).doesNotContainKey("prog-1/p-2");
        assertThat(state.deferred.get("prog-1").values())
                .extracting(DeferredDonation::participantId)
                .containsOnly("p-3");
        assertThat(state.account("prog-1").deferred()).isEqualTo(1);
        assertThat(state.account("prog-1").made()).isEqualTo(1);
        assertThat(emitted).isEmpty();
        // a raised budget releases only what is still deferred
        ledger.applyBudget("prog-1", rules(5, null), T);
        assertThat(statuses()).containsExactly("don:prog-1:p-3:1 RELEASED");
        // an erasure of the donor of a made donation forgets them and takes nothing back
        emitted.clear();
        ledger.apply(DonationIntent.erase("prog-1", "p-1", T), rules(5, null), null, T);
        assertThat(state.account("prog-1").made()).isEqualTo(2);
        assertThat(state.account("prog-1").erasures()).isEqualTo(2);
        // a re-created participant of the same id starts again, with donation ids the erased one never had
        threshold("p-1", 1, rules(5, null));
        assertThat(statuses()).containsExactly("don:prog-1:p-1#2:1 TRIGGERED");
    }
}
