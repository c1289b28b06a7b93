package io.engage.ingest.normalize;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.processing.RegistryUnavailableException;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.serde.ConfluentAvroSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backstop for failures the topology does not handle itself (it decodes and dead-letters bad records
 * explicitly, so this should never fire). A {@code readings.raw} record that still fails is written to
 * {@code readings.rejected} as {@code MALFORMED} with its bytes, in the same Avro format as every other dead
 * letter, and processing continues. Processing stops instead when the registry is unavailable (the record is
 * fine and will be retried) or when the record came from another topic (reference data must not be skipped).
 */
public final class DeadLetterBackstop implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    /** Streams config key: full name of {@code readings.raw}. */
    public static final String RAW_TOPIC_CONFIG = "engage.normalizer.raw.topic";
    /** Streams config key: full name of {@code readings.rejected}. */
    public static final String REJECTED_TOPIC_CONFIG = "engage.normalizer.rejected.topic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterBackstop.class);

    private String rawTopic = "readings.raw";
    private String rejectedTopic = "readings.rejected";
    private Serializer<RejectedReading> serializer;

    @Override
    public void configure(Map<String, ?> configs) {
        Object raw = configs.get(RAW_TOPIC_CONFIG);
        Object rejected = configs.get(REJECTED_TOPIC_CONFIG);
        if (raw != null) {
            rawTopic = raw.toString();
        }
        if (rejected != null) {
            rejectedTopic = rejected.toString();
        }
        if (configs.get("schema.registry.url") != null) {
            serializer = new ConfluentAvroSerializer<>(SchemaRegistryClients.forConfig(configs), configs, false);
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        List<ProducerRecord<byte[], byte[]>> deadLetter = deadLetter(context, exception);
        return deadLetter == null
                ? DeserializationExceptionHandler.Response.fail()
                : DeserializationExceptionHandler.Response.resume(deadLetter);
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        List<ProducerRecord<byte[], byte[]>> deadLetter = deadLetter(context, exception);
        return deadLetter == null
                ? ProcessingExceptionHandler.Response.fail()
                : ProcessingExceptionHandler.Response.resume(deadLetter);
    }

    /** The dead letter for the failed record, or null when processing must stop. */
    List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, Exception exception) {
        String where = context.topic() + "-" + context.partition() + "@" + context.offset() + " (node "
                + context.processorNodeId() + ")";
        if (RegistryUnavailableException.isCause(exception)) {
            LOG.error("schema registry unavailable at {}: stopping so the record is retried", where, exception);
            return null;
        }
        if (!rawTopic.equals(context.topic()) || serializer == null) {
            LOG.error("failed to process {}: stopping (not a {} record)", where, rawTopic, exception);
            return null;
        }
        byte[] rawKey = context.sourceRawKey();
        String device = rawKey == null || rawKey.length == 0
                ? ReadingNormalizer.UNKNOWN_DEVICE_ID
                : new String(rawKey, StandardCharsets.UTF_8);
        byte[] payload = context.sourceRawValue();
        RejectedReading letter = RejectedReading.newBuilder()
                .setDeviceId(device)
                .setMetric(null)
                .setReason(RejectReason.MALFORMED)
                .setDetail("failed to process the record: " + exception)
                .setReading(null)
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .setRejectedAt(Instant.ofEpochMilli(context.timestamp()))
                .build();
        byte[] value = serializer.serialize(rejectedTopic, letter);
        LOG.warn("dead-lettered {} as MALFORMED after an unexpected failure", where, exception);
        return List.of(new ProducerRecord<>(
                rejectedTopic, null, context.timestamp(), device.getBytes(StandardCharsets.UTF_8), value));
    }
}
