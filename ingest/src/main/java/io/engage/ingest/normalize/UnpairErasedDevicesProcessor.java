package io.engage.ingest.normalize;

import io.engage.avro.ParticipantErasure;
import io.engage.processing.RecordDecoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpairs an erased participant's devices (docs/privacy.md): for each {@code participants.erasures} record (key: the
 * participant id) a tombstone on {@code devices} for every device the pairings store holds for the participant, so
 * their devices' readings are refused as {@code UNKNOWN_DEVICE} from then on and a re-created participant of the same
 * id starts without devices. A pairing made after the request (a participant of the same id created again) stays.
 * The pairings are keyed by device, so this reads them all: erasures are rare, and the scan runs on the normaliser's
 * stream thread, never on an HTTP request.
 */
final class UnpairErasedDevicesProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(UnpairErasedDevicesProcessor.class);

    private final RecordDecoder<ParticipantErasure> decoder;
    private ProcessorContext<String, byte[]> context;
    private ReadOnlyKeyValueStore<String, DevicePairing> pairings;

    UnpairErasedDevicesProcessor(RecordDecoder<ParticipantErasure> decoder) {
        this.decoder = decoder;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.pairings = context.getStateStore(NormalizationTopology.DEVICE_PAIRINGS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ParticipantErasure erasure = decoder.decode(
                record.headers(),
                record.value(),
                reason -> LOG.error("an undecodable erasure request: unpairing by its key ({})", reason));
        String participantId = erasure != null ? erasure.getParticipantId() : record.key();
        long requestedAt = erasure != null ? erasure.getRequestedAt().toEpochMilli() : record.timestamp();
        if (participantId == null || participantId.isEmpty()) {
            LOG.warn("ignoring an erasure request without a participant id");
            return;
        }
        List<String> devices;
        try (KeyValueIterator<String, DevicePairing> all = pairings.all()) {
            devices = devicesOf(participantId, requestedAt, all);
        }
        for (String deviceId : devices) {
            context.forward(new Record<>(deviceId, null, record.timestamp()));
        }
        LOG.info("erasure: unpaired {} device(s) of an erased participant", devices.size());
    }

    /** The ids of the devices paired to {@code participantId} up to {@code requestedAt} (epoch millis). */
    static List<String> devicesOf(
            String participantId, long requestedAt, java.util.Iterator<KeyValue<String, DevicePairing>> pairings) {
        List<String> out = new ArrayList<>();
        pairings.forEachRemaining(kv -> {
            if (kv.value != null
                    && participantId.equals(kv.value.participantId())
                    && kv.value.pairedAtMillis() <= requestedAt) {
                out.add(kv.key);
            }
        });
        return out;
    }
}
