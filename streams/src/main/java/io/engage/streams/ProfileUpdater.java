package io.engage.streams;

import io.engage.avro.Participant;
import io.engage.processing.RecordDecoder;
import io.engage.streams.reference.ProfileView;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store {@link EngagementStores#PROFILES} in step with the {@code participants} topic. A tombstone
 * (erasure) deletes the profile, after which the participant's readings produce no output. An undecodable record, or
 * one whose key is not its participant id, deletes the profile too (fail closed: an unreadable profile must not leave
 * an older consent in force).
 */
final class ProfileUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileUpdater.class);

    private final RecordDecoder<Participant> decoder;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, ProfileView> profiles;

    ProfileUpdater(RecordDecoder<Participant> decoder) {
        this.decoder = decoder;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.profiles = context.getStateStore(EngagementStores.PROFILES);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.isBlank()) {
            LOG.warn("ignoring a participants record without key at {}", where());
            return;
        }
        if (record.value() == null) {
            profiles.delete(key);
            return;
        }
        Participant p = decoder.decode(
                record.headers(),
                record.value(),
                reason -> LOG.error(
                        "undecodable participants record for key '{}' at {}: profile treated as deleted ({})",
                        key,
                        where(),
                        reason));
        if (p != null && !key.equals(p.getParticipantId())) {
            LOG.error(
                    "participants record at {} has key '{}' but participantId '{}': profile treated as deleted",
                    where(),
                    key,
                    p.getParticipantId());
            p = null;
        }
        if (p == null) {
            profiles.delete(key);
        } else {
            profiles.put(key, ProfileView.of(p));
        }
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("?");
    }
}
