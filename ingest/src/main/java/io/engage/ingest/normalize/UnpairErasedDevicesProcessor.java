package io.engage.ingest.normalize;

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
 * id starts without devices. The pairings are keyed by device, so this reads them all: erasures are rare, and the
 * scan runs on the normaliser's stream thread, never on an HTTP request.
 */
final class UnpairErasedDevicesProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(UnpairErasedDevicesProcessor.class);

    private ProcessorContext<String, byte[]> context;
    private ReadOnlyKeyValueStore<String, DevicePairing> pairings;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.pairings = context.getStateStore(NormalizationTopology.DEVICE_PAIRINGS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String participantId = record.key();
        if (participantId == null || participantId.isEmpty()) {
            LOG.warn("ignoring an erasure request without a participant id");
            return;
        }
        List<String> devices;
        try (KeyValueIterator<String, DevicePairing> all = pairings.all()) {
            devices = devicesOf(participantId, all);
        }
        for (String deviceId : devices) {
            context.forward(new Record<>(deviceId, null, record.timestamp()));
        }
        LOG.info("erasure: unpaired {} device(s) of an erased participant", devices.size());
    }

    /** The ids of the devices paired to {@code participantId}. */
    static List<String> devicesOf(String participantId, java.util.Iterator<KeyValue<String, DevicePairing>> pairings) {
        List<String> out = new ArrayList<>();
        pairings.forEachRemaining(kv -> {
            if (kv.value != null && participantId.equals(kv.value.participantId())) {
                out.add(kv.key);
            }
        });
        return out;
    }
}
