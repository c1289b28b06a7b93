package io.engage.streams.philanthropy;

import java.util.List;

/**
 * The donation ledger's state, as its rules ({@link DonationLedger}) read and change it: the processor keeps it in
 * its stores ({@link StoredLedgerState}), a unit test in maps. Keys are the programme id and the issuer (a participant
 * id or {@code team:{teamId}}).
 */
public interface LedgerState {
    /** The programme's account, or null before its first donation decision. */
    ProgramLedger account(String programId);

    void putAccount(String programId, ProgramLedger account);

    /** What the programme has decided for one issuer ({@link IssuerLedger#NONE} when nothing yet). */
    IssuerLedger issuer(String programId, String issuer);

    void putIssuer(String programId, String issuer, IssuerLedger ledger);

    /** Queues a deferred donation as the programme's {@code order}-th (orders only grow). */
    void defer(String programId, long order, DeferredDonation donation);

    /** Forgets what the programme decided for one issuer. */
    void removeIssuer(String programId, String issuer);

    /** Removes the programme's deferred donations of a participant; returns how many there were. */
    long removeDeferredOf(String programId, String participantId);

    /** Removes and returns the programme's oldest deferred donations, at most {@code max}, oldest first. */
    List<DeferredDonation> takeOldestDeferred(String programId, long max);
}
