package io.engage.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.engage.avro.Program;
import io.engage.streams.reference.ProgramRules;

/**
 * Keeps the global {@link EngagementStores#PROGRAMS} store in step with {@code programs}. A tombstone or an
 * undecodable record deletes the programme's rules, so the schema defaults apply (logged).
 */
final class ProgramUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramUpdater.class);

    private final RecordDecoder<Program> decoder;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, ProgramRules> programs;

    ProgramUpdater(RecordDecoder<Program> decoder) {
        this.decoder = decoder;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.programs = context.getStateStore(EngagementStores.PROGRAMS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.isBlank()) {
            LOG.warn("ignoring a programs record without key at {}", where());
            return;
        }
        if (record.value() == null) {
            programs.delete(key);
            return;
        }
        Program p = decoder.decode(record.headers(), record.value(),
                reason -> LOG.error("undecodable programs record for key '{}' at {}: defaults apply ({})", key, where(), reason));
        if (p == null) {
            programs.delete(key);
        } else {
            programs.put(key, ProgramRules.of(p));
        }
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
