package io.engage.processing;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a global store in step with a compacted reference topic (devices, participants, programmes, teams): a record
 * puts what the topology needs of it, a tombstone deletes. It decodes the value itself: a record that cannot be
 * decoded, or whose view is null (unusable), deletes the key too, and is logged with its topic, partition and offset.
 * Deleting fails closed: an unreadable profile must not leave an older consent in force, and an unreadable programme
 * falls back to the defaults.
 *
 * @param <A> the topic's Avro value
 * @param <V> what the store keeps of it
 */
public final class ReferenceStoreUpdater<A, V> implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceStoreUpdater.class);

    private final String storeName;
    private final RecordDecoder<A> decoder;
    private final BiFunction<String, A, V> view;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, V> store;

    /** {@code view} extracts what the store keeps; it returns null when the record is unusable. */
    public ReferenceStoreUpdater(String storeName, RecordDecoder<A> decoder, Function<A, V> view) {
        this(storeName, decoder, (key, value) -> view.apply(value));
    }

    /** {@code view} also sees the record's key (to refuse a record whose key is not its id); null: unusable. */
    public ReferenceStoreUpdater(String storeName, RecordDecoder<A> decoder, BiFunction<String, A, V> view) {
        this.storeName = storeName;
        this.decoder = decoder;
        this.view = view;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.isBlank()) {
            LOG.warn("ignoring a record without key on {}", where());
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            return;
        }
        A value = decoder.decode(
                record.headers(),
                record.value(),
                reason -> LOG.error(
                        "undecodable record for key '{}' on {}: treated as deleted ({})", key, where(), reason));
        V kept = value == null ? null : view.apply(key, value);
        if (value != null && kept == null) {
            LOG.warn("unusable record for key '{}' on {}: treated as deleted", key, where());
        }
        if (kept == null) {
            store.delete(key);
        } else {
            store.put(key, kept);
        }
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("store " + storeName);
    }
}
