package io.engage.streams;

import io.engage.streams.state.PrefixDelete;
import io.engage.streams.state.StoreKeys;
import java.time.LocalDate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts the cheers a participant received per local date (docs/social.md), on the recipient's task: the counted
 * cheers of the givers' tasks are re-keyed by recipient id, value the recipient's local date as an epoch day. Each
 * counted cheer arrives once (exactly-once), so counting is adding one. A null value is a recipient's erasure.
 */
final class ReceivedCheersProcessor implements Processor<String, Long, Void, Void> {
    private KeyValueStore<String, Long> received;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        received = context.getStateStore(EngagementStores.CHEERS_RECEIVED);
    }

    @Override
    public void process(Record<String, Long> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            forget(record.key());
            return;
        }
        String key = StoreKeys.day(record.key(), LocalDate.ofEpochDay(record.value()));
        Long n = received.get(key);
        received.put(key, (n == null ? 0 : n) + 1);
    }

    /** The participant was erased (a null value, docs/privacy.md): their received cheers are forgotten. */
    private void forget(String participantId) {
        PrefixDelete.delete(received, StoreKeys.participantPrefix(participantId));
    }
}
