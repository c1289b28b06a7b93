package io.engage.streams;

import java.util.function.Function;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a global reference store ({@link EngagementStores#PROGRAMS}, {@link EngagementStores#TEAMS}) in step with its
 * compacted topic. A tombstone or an undecodable record deletes the entry, so defaults apply (logged).
 *
 * @param <A> the topic's Avro value
 * @param <V> what the store keeps of it
 */
final class ReferenceUpdater<A, V> implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceUpdater.class);

    private final RecordDecoder<A> decoder;
    private final String storeName;
    private final Function<A, V> view;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, V> store;

    ReferenceUpdater(RecordDecoder<A> decoder, String storeName, Function<A, V> view) {
        this.decoder = decoder;
        this.storeName = storeName;
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
            LOG.warn("ignoring a record without key at {}", where());
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            return;
        }
        A value = decoder.decode(record.headers(), record.value(),
                reason -> LOG.error("undecodable record for key '{}' at {}: defaults apply ({})", key, where(), reason));
        if (value == null) {
            store.delete(key);
        } else {
            store.put(key, view.apply(value));
        }
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
