package io.engage.streams;

import io.engage.streams.activity.DayState;
import io.engage.streams.state.StoreKeys;
import java.time.LocalDate;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Sends the changed days to {@code activity.daily} when the days store's record cache flushes them: at the commit that
 * makes them visible (or earlier, when the cache is full), one record per day with its latest value however many
 * readings changed it since the last commit (docs/rules.md, "Outputs"). This is how Kafka Streams emits a cached
 * {@code KTable}: the day leaves through the processor that wrote it, within the transaction of the commit.
 *
 * <p>It uses the cache-flush hook Kafka Streams' own tables use ({@code CachedStateStore}, an internal interface of
 * the pinned Kafka Streams version, docs/benchmarks.md "Days sent at the commit"). A store without a cache does not
 * take the hook; {@link #attach} then says so and the processor sends each day as it changes.
 */
final class DaysOnCommit {
    private DaysOnCommit() {}

    /**
     * Sends every day {@code days} flushes from its cache through {@code context}'s current processor (call from
     * {@code init}). Returns false when the store has no cache to hook: the caller must send the days itself.
     */
    @SuppressWarnings("unchecked")
    static boolean attach(ProcessorContext<String, EngagementOutput> context, KeyValueStore<String, DayState> days) {
        if (!(days instanceof CachedStateStore<?, ?> cached) || !(context instanceof InternalProcessorContext<?, ?>)) {
            return false;
        }
        InternalProcessorContext<String, EngagementOutput> internal =
                (InternalProcessorContext<String, EngagementOutput>) context;
        ProcessorNode<?, ?, ?, ?> processor = internal.currentNode();
        return ((CachedStateStore<String, DayState>) cached)
                .setFlushListener(
                        flushed -> {
                            DayState day = flushed.value().newValue;
                            if (day == null) {
                                return; // days are not deleted by the rules; nothing to announce
                            }
                            int sep = flushed.key().lastIndexOf(StoreKeys.SEP);
                            String pid = flushed.key().substring(0, sep);
                            LocalDate date = LocalDate.parse(flushed.key().substring(sep + 1));
                            ProcessorNode<?, ?, ?, ?> previous = internal.currentNode();
                            internal.setCurrentNode(processor);
                            try {
                                internal.forward(new Record<>(
                                        pid,
                                        new EngagementOutput.Daily(pid, date, day),
                                        day.updatedAt().toEpochMilli()));
                            } finally {
                                internal.setCurrentNode(previous);
                            }
                        },
                        false);
    }
}
