package io.engage.streams.testing;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Stores for tests of code that takes a store, without a topology. */
public final class TestStores {
    private TestStores() {}

    /** An initialised in-memory store with string keys, no changelog and no cache. */
    public static <V> KeyValueStore<String, V> inMemory(Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("s" + System.nanoTime()), Serdes.String(), values)
                .withLoggingDisabled()
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
