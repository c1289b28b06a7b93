package io.engage.ingest.normalize;

import java.util.function.Function;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a global store in step with a compacted reference topic ({@code devices}, {@code participants}): a
 * record puts what normalisation needs of it, a tombstone deletes. It decodes the value itself: a record that
 * cannot be decoded deletes the key too (fail closed: an unreadable profile must not leave an older consent in
 * force) and is logged with its topic, partition and offset.
 */
final class ReferenceStoreUpdater<V, S> implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceStoreUpdater.class);

    private final String storeName;
    private final RecordDecoder<V> decoder;
    private final Function<V, S> view;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, S> store;

    /** {@code view} extracts what the store keeps; it returns null when the record is unusable. */
    ReferenceStoreUpdater(String storeName, RecordDecoder<V> decoder, Function<V, S> view) {
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
        RecordDecoder.Decoded<V> decoded = decoder.decode(record.headers(), record.value());
        S kept = null;
        if (decoded instanceof RecordDecoder.Decoded.Ok<V> ok) {
            kept = view.apply(ok.value());
            if (kept == null) {
                LOG.warn("unusable record for key '{}' on {}: treated as deleted", key, where());
            }
        } else {
            LOG.error("undecodable record for key '{}' on {}: treated as deleted ({})", key, where(),
                    ((RecordDecoder.Decoded.Failed<V>) decoded).reason());
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
