package io.engage.streams.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A time-ordered index of store entries that expire: key {@code expiresAt (19 digits) NUL store NUL key}. A punctuator
 * scans it from its oldest key and stops at the first entry not yet due, so each run costs what is due, not what
 * exists. Entries are put when a store key is created; the same key and time give the same index key, so adding
 * twice is harmless, and deleting an index entry whose store key is already gone is a no-op.
 */
public final class ExpiryIndex {
    private static final byte[] PRESENT = new byte[0];
    private static final int MILLIS_DIGITS = 19;

    private final KeyValueStore<String, byte[]> index;

    public ExpiryIndex(KeyValueStore<String, byte[]> index) {
        this.index = index;
    }

    /** Remembers that {@code key} of {@code store} expires at {@code expiresAt}. */
    public void add(Instant expiresAt, String store, String key) {
        index.put(indexKey(Math.max(0, expiresAt.toEpochMilli()), store, key), PRESENT);
    }

    /** As {@link #add}, without a write when the entry is already there (a read is cheaper than a changelog record). */
    public void addIfAbsent(Instant expiresAt, String store, String key) {
        String k = indexKey(Math.max(0, expiresAt.toEpochMilli()), store, key);
        if (index.get(k) == null) {
            index.put(k, PRESENT);
        }
    }

    /** Forgets that {@code key} of {@code store} expires at {@code expiresAt} (no write when it was not there). */
    public void remove(Instant expiresAt, String store, String key) {
        String k = indexKey(Math.max(0, expiresAt.toEpochMilli()), store, key);
        if (index.get(k) != null) {
            index.delete(k);
        }
    }

    static String indexKey(long millis, String store, String key) {
        String digits = Long.toString(millis);
        return "0".repeat(MILLIS_DIGITS - digits.length()) + digits + StoreKeys.SEP + store + StoreKeys.SEP + key;
    }

    /**
     * Hands, oldest first, at most {@code max} entries due at or before {@code cutoff} to the handler of their kind
     * (which deletes what the entry stands for) and removes them from the index. Returns how many were handled.
     */
    public int expire(Instant cutoff, int max, Map<String, Consumer<String>> handlers) {
        long cutoffMillis = cutoff.toEpochMilli();
        List<String> due = new ArrayList<>();
        if (cutoffMillis < 0) {
            return 0;
        }
        // a range up to the cutoff, not the whole index: with a record cache in front, every iterator copies the
        // cached keys it covers, and this runs every few minutes of stream time (docs/benchmarks.md)
        String digits = Long.toString(cutoffMillis);
        String last = "0".repeat(MILLIS_DIGITS - digits.length()) + digits + '\uffff';
        try (KeyValueIterator<String, byte[]> it = index.range(indexKey(0, "", ""), last)) {
            while (it.hasNext() && due.size() < max) {
                KeyValue<String, byte[]> e = it.next();
                if (Long.parseLong(e.key.substring(0, MILLIS_DIGITS)) > cutoffMillis) {
                    break;
                }
                due.add(e.key);
            }
        }
        for (String indexKey : due) {
            int storeEnd = indexKey.indexOf(StoreKeys.SEP, MILLIS_DIGITS + 1);
            String store = indexKey.substring(MILLIS_DIGITS + 1, storeEnd);
            String key = indexKey.substring(storeEnd + 1);
            Consumer<String> target = handlers.get(store);
            if (target == null) {
                throw new IllegalStateException("expiry index names an unknown store '" + store + "'");
            }
            target.accept(key);
            index.delete(indexKey);
        }
        return due.size();
    }
}
