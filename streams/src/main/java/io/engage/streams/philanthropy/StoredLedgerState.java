package io.engage.streams.philanthropy;

import io.engage.streams.state.StoreKeys;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The donation ledger's state in the ledger's three stores: accounts, issuers and the deferred queue. */
public final class StoredLedgerState implements LedgerState {
    private final KeyValueStore<String, ProgramLedger> accounts;
    private final KeyValueStore<String, IssuerLedger> issuers;
    private final KeyValueStore<String, DeferredDonation> deferred;

    public StoredLedgerState(
            KeyValueStore<String, ProgramLedger> accounts,
            KeyValueStore<String, IssuerLedger> issuers,
            KeyValueStore<String, DeferredDonation> deferred) {
        this.accounts = accounts;
        this.issuers = issuers;
        this.deferred = deferred;
    }

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
        IssuerLedger l = issuers.get(DonationLedger.issuerKey(programId, issuer));
        return l == null ? IssuerLedger.NONE : l;
    }

    @Override
    public void putIssuer(String programId, String issuer, IssuerLedger ledger) {
        issuers.put(DonationLedger.issuerKey(programId, issuer), ledger);
    }

    @Override
    public void defer(String programId, long order, DeferredDonation donation) {
        deferred.put(deferredKey(programId, order), donation);
    }

    @Override
    public void removeIssuer(String programId, String issuer) {
        issuers.delete(DonationLedger.issuerKey(programId, issuer));
    }

    @Override
    public long removeDeferredOf(String programId, String participantId) {
        List<String> keys = new ArrayList<>();
        String prefix = StoreKeys.join(programId, "");
        try (KeyValueIterator<String, DeferredDonation> it = deferred.range(prefix, prefix + '\uffff')) {
            it.forEachRemaining(kv -> {
                if (participantId.equals(kv.value.participantId())) {
                    keys.add(kv.key);
                }
            });
        }
        keys.forEach(deferred::delete);
        return keys.size();
    }

    @Override
    public List<DeferredDonation> takeOldestDeferred(String programId, long max) {
        List<KeyValue<String, DeferredDonation>> oldest = new ArrayList<>();
        String prefix = StoreKeys.join(programId, "");
        try (KeyValueIterator<String, DeferredDonation> it = deferred.range(prefix, prefix + '\uffff')) {
            while (it.hasNext() && oldest.size() < max) {
                oldest.add(it.next());
            }
        }
        List<DeferredDonation> out = new ArrayList<>(oldest.size());
        for (KeyValue<String, DeferredDonation> kv : oldest) {
            deferred.delete(kv.key);
            out.add(kv.value);
        }
        return out;
    }

    /** Deferred donations sort by programme, then by the order they were deferred in. */
    static String deferredKey(String programId, long order) {
        return StoreKeys.join(programId, String.format("%019d", order));
    }
}
