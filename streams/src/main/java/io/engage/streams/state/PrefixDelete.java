package io.engage.streams.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Deletes every entry of a store whose key starts with a prefix: how an erasure empties participant-first stores. */
public final class PrefixDelete {
    private static final StringSerializer KEYS = new StringSerializer();

    private PrefixDelete() {}

    /** Deletes the entries under {@code prefix} and returns them (key and value), in key order. */
    public static <V> List<KeyValue<String, V>> delete(KeyValueStore<String, V> store, String prefix) {
        List<KeyValue<String, V>> entries = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(entries::add);
        }
        entries.forEach(kv -> store.delete(kv.key));
        return entries;
    }
}
