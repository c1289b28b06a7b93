package io.engage.streams.philanthropy;

import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.streams.engagement.EventIds;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.state.StoreKeys;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The donation rules of one programme (docs/philanthropy.md), applied where the programme's every decision is made: one
 * task owns a programme's account, so budget and per-participant cap are checked against a single, current count.
 *
 * <ul>
 *   <li>A participant's n-th points threshold, or a team's steps passing its n-th {@code teamStepsPerDonation}, is one
 *       donation with id {@code don:{programId}:{participantId}:{n}} or {@code don:{programId}:team:{teamId}:{n}}.
 *       A threshold already seen is a repeat and changes nothing.</li>
 *   <li>{@code maxDonationsPerParticipant}: a participant's thresholds beyond it give no donation (counted as
 *       capped). Deferred donations count toward the cap: they are promised.</li>
 *   <li>Budget: a donation is {@code TRIGGERED} while donations made ({@code TRIGGERED} + {@code RELEASED}) are below
 *       the programme's {@code donationBudget}; otherwise it is {@code DEFERRED}. Before every decision, and on a
 *       schedule, the current budget is applied first: if it left room, deferred donations are {@code RELEASED}
 *       oldest first. So a new threshold never overtakes one that waits.</li>
 *   <li>Beneficiary: the participant's chosen group, else the team's, else the programme's default.</li>
 * </ul>
 */
public final class DonationLedger {
    private static final Logger LOG = LoggerFactory.getLogger(DonationLedger.class);

    /** Team rule: a flush never opens more than this many thresholds at once (guards against a misconfigured rule). */
    static final long MAX_THRESHOLDS_PER_INTENT = 10_000;

    private final LedgerState state;
    private final Consumer<Donation> emit;

    /**
     * @param state what the ledger has decided so far (read and changed through it)
     * @param emit  where the donation records go, in order
     */
    public DonationLedger(LedgerState state, Consumer<Donation> emit) {
        this.state = state;
        this.emit = emit;
    }

    /** The participant id part of a donation id for a team. */
    public static String teamIssuer(String teamId) {
        return "team:" + teamId;
    }

    /** {@code don:{programId}:{participantId|team:teamId}:{n}} ({@link EventIds#donation}). */
    public static String donationId(String programId, String issuer, long n) {
        return EventIds.donation(programId, issuer, n);
    }

    /** Key of an issuer's entry in the issuers store. */
    public static String issuerKey(String programId, String issuer) {
        return StoreKeys.join(programId, issuer);
    }

    /**
     * Applies one intent: first the programme's current budget (releasing what it allows), then the thresholds.
     *
     * @param rules           the programme's current rules
     * @param teamBeneficiary the team's group for a team intent (null: the programme's default)
     * @param now             the decision time (the intent's record time)
     */
    public void apply(DonationIntent intent, ProgramRules rules, String teamBeneficiary, Instant now) {
        if (intent.kind() == DonationIntent.Kind.ERASE) {
            erase(intent.programId(), intent.participantId());
            return;
        }
        ProgramLedger account = applyBudget(intent.programId(), rules, now);
        if (intent.kind() == DonationIntent.Kind.PARTICIPANT) {
            participant(intent, rules, account, now);
        } else {
            team(intent, rules, account, teamBeneficiary, now);
        }
    }

    private void participant(DonationIntent intent, ProgramRules rules, ProgramLedger account, Instant now) {
        IssuerLedger issuer = state.issuer(intent.programId(), intent.participantId());
        if (issuer.lastSequence() == 0) {
            issuer = issuer.inGeneration(account.erasures());
        }
        if (intent.sequence() <= issuer.lastSequence()) {
            LOG.debug(
                    "donation threshold {} of participant '{}' already seen",
                    intent.sequence(),
                    intent.participantId());
            return;
        }
        Integer cap = rules.maxDonationsPerParticipant();
        String beneficiary = intent.beneficiary() != null ? intent.beneficiary() : rules.defaultBeneficiary();
        // each threshold arrives in order; should one be missing, the later one stands for it too
        for (long n = issuer.lastSequence() + 1; n <= intent.sequence(); n++) {
            issuer = issuer.seen(n);
            if (cap != null && issuer.donations() >= cap) {
                LOG.info(
                        "programme '{}': participant '{}' passed threshold {} beyond the cap of {} donations",
                        intent.programId(),
                        intent.participantId(),
                        n,
                        cap);
                account = account.cappedOne();
                continue;
            }
            issuer = issuer.donated();
            DeferredDonation d = new DeferredDonation(
                    EventIds.donation(intent.programId(), intent.participantId(), issuer.generation(), n),
                    intent.programId(),
                    intent.participantId(),
                    null,
                    Math.toIntExact(n),
                    beneficiary,
                    rules.donationItem(),
                    intent.at());
            account = decide(account, d, now);
        }
        state.putIssuer(intent.programId(), intent.participantId(), issuer);
        state.putAccount(intent.programId(), account);
    }

    /**
     * Forgets an erased participant (docs/privacy.md): their count of thresholds and donations in the programme, and
     * their deferred donations, which are withdrawn (their {@code DEFERRED} records stay in the sponsor's ledger; no
     * {@code RELEASED} follows). Donations already made stay made: the budget they used is not given back.
     */
    private void erase(String programId, String participantId) {
        IssuerLedger issuer = state.issuer(programId, participantId);
        long withdrawn = state.removeDeferredOf(programId, participantId);
        if (issuer.lastSequence() == 0 && withdrawn == 0) {
            return; // never passed a threshold here: nothing to forget
        }
        state.removeIssuer(programId, participantId);
        ProgramLedger account = state.account(programId);
        if (account != null) {
            state.putAccount(programId, account.withdrawn(withdrawn).erasedOne());
        }
        if (withdrawn > 0) {
            LOG.info("programme '{}': {} deferred donation(s) withdrawn at an erasure", programId, withdrawn);
        }
    }

    private void team(
            DonationIntent intent, ProgramRules rules, ProgramLedger account, String teamBeneficiary, Instant now) {
        String issuerId = teamIssuer(intent.teamId());
        IssuerLedger issuer = state.issuer(intent.programId(), issuerId).plusSteps(intent.teamSteps());
        long passed = DonationThresholds.passed(issuer.teamSteps(), rules.teamStepsPerDonation());
        long last = Math.min(passed, issuer.lastSequence() + MAX_THRESHOLDS_PER_INTENT);
        String beneficiary = teamBeneficiary != null ? teamBeneficiary : rules.defaultBeneficiary();
        for (long n = issuer.lastSequence() + 1; n <= last; n++) {
            issuer = issuer.seen(n).donated();
            DeferredDonation d = new DeferredDonation(
                    donationId(intent.programId(), issuerId, n),
                    intent.programId(),
                    null,
                    intent.teamId(),
                    Math.toIntExact(n),
                    beneficiary,
                    rules.donationItem(),
                    intent.at());
            account = decide(account, d, now);
        }
        state.putIssuer(intent.programId(), issuerId, issuer);
        state.putAccount(intent.programId(), account);
    }

    /** Triggers the donation if the budget allows, else defers it; returns the account after. */
    private ProgramLedger decide(ProgramLedger account, DeferredDonation d, Instant now) {
        if (account.canMake()) {
            emit.accept(d.toAvro(DonationStatus.TRIGGERED, now));
            return account.madeFor(d.beneficiary(), false);
        }
        state.defer(d.programId(), account.nextOrder(), d);
        emit.accept(d.toAvro(DonationStatus.DEFERRED, now));
        LOG.info(
                "programme '{}': budget of {} spent, donation {} deferred",
                d.programId(),
                account.budget(),
                d.donationId());
        return account.deferredOne();
    }

    /**
     * Applies the programme's current budget to its account: records it, and if there is room releases deferred
     * donations oldest first. Returns the account after (a new one for a programme without donations so far).
     */
    public ProgramLedger applyBudget(String programId, ProgramRules rules, Instant now) {
        ProgramLedger account = state.account(programId);
        if (account == null) {
            account = ProgramLedger.empty(rules.donationBudget());
            state.putAccount(programId, account);
            return account;
        }
        if (account.budget() != rules.donationBudget()) {
            LOG.info("programme '{}': donation budget {} -> {}", programId, account.budget(), rules.donationBudget());
            account = account.withBudget(rules.donationBudget());
            state.putAccount(programId, account);
        }
        if (account.deferred() == 0 || !account.canMake()) {
            return account;
        }
        List<DeferredDonation> release = state.takeOldestDeferred(programId, account.remaining());
        for (DeferredDonation d : release) {
            emit.accept(d.toAvro(DonationStatus.RELEASED, now));
            account = account.madeFor(d.beneficiary(), true);
        }
        LOG.info(
                "programme '{}': released {} deferred donations ({} still deferred)",
                programId,
                release.size(),
                account.deferred());
        state.putAccount(programId, account);
        return account;
    }
}
