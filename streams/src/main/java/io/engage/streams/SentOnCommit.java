package io.engage.streams;

import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Sends the changed entries of a store (days for {@code activity.daily}, standings for {@code standings}) when the
 * store's record cache flushes them: at the commit that makes them visible (or earlier, when the cache is full), one
 * record per key with its latest value however many records changed it since the last commit (docs/rules.md,
 * "Outputs"). This is how Kafka Streams emits a cached {@code KTable}: the entry leaves through the processor that
 * wrote it, within the transaction of the commit.
 *
 * <p>It uses the cache-flush hook Kafka Streams' own tables use ({@code CachedStateStore}, an internal interface of
 * the pinned Kafka Streams version, docs/benchmarks.md "Days sent at the commit"). A store without a cache does not
 * take the hook; {@link #attach} then says so and the processor sends each change itself.
 */
final class SentOnCommit {
    private SentOnCommit() {}

    /** The records to send for a flushed entry. */
    @FunctionalInterface
    interface Records<V> {
        /**
         * @param value    the entry's new value (never null: deletions are not sent)
         * @param previous the value before, as last flushed (null when there was none, or when not asked for)
         */
        List<Record<String, EngagementOutput>> of(String key, V value, V previous);
    }

    /**
     * Sends the records {@code toRecords} makes of every entry {@code store} flushes from its cache (deletions are not
     * sent) through {@code context}'s current processor (call from {@code init}); with {@code previous}, the store
     * reads each flushed key's value before the flush for it (one read per key and commit). Returns false when the
     * store has no cache to hook: the caller must send the changes itself.
     */
    @SuppressWarnings("unchecked")
    static <V> boolean attach(
            ProcessorContext<String, EngagementOutput> context,
            KeyValueStore<String, V> store,
            boolean previous,
            Records<V> toRecords) {
        if (!(store instanceof CachedStateStore<?, ?> cached) || !(context instanceof InternalProcessorContext<?, ?>)) {
            return false;
        }
        InternalProcessorContext<String, EngagementOutput> internal =
                (InternalProcessorContext<String, EngagementOutput>) context;
        ProcessorNode<?, ?, ?, ?> processor = internal.currentNode();
        return ((CachedStateStore<String, V>) cached)
                .setFlushListener(
                        flushed -> {
                            V value = flushed.value().newValue;
                            if (value == null) {
                                return;
                            }
                            ProcessorNode<?, ?, ?, ?> current = internal.currentNode();
                            internal.setCurrentNode(processor);
                            try {
                                for (Record<String, EngagementOutput> r :
                                        toRecords.of(flushed.key(), value, flushed.value().oldValue)) {
                                    internal.forward(r);
                                }
                            } finally {
                                internal.setCurrentNode(current);
                            }
                        },
                        previous);
    }
}
