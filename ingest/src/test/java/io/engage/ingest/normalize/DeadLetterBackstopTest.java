package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.processing.RegistryUnavailableException;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.registry.SchemaRegistryException;
import io.engage.schemas.serde.ConfluentAvroDeserializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backstop exception handlers: dead-letter an unexpected failure on readings.raw, stop on anything else. */
class DeadLetterBackstopTest {
    private final String registryUrl = "mock://backstop-" + UUID.randomUUID();
    private final DeadLetterBackstop backstop = new DeadLetterBackstop();

    DeadLetterBackstopTest() {
        backstop.configure(Map.of(
                "schema.registry.url",
                registryUrl,
                DeadLetterBackstop.RAW_TOPIC_CONFIG,
                "p.readings.raw",
                DeadLetterBackstop.REJECTED_TOPIC_CONFIG,
                "p.readings.rejected"));
    }

    @AfterEach
    void dropRegistry() {
        SchemaRegistryClients.dropMockScope(registryUrl);
    }

    @Test
    void anUnexpectedFailureOnReadingsRawIsDeadLetteredAsMalformed() {
        byte[] payload = {0, 1, 2, 3};
        ProcessingExceptionHandler.Response response = backstop.handleError(
                context("p.readings.raw", "dev-7", payload),
                new Record<>("dev-7", payload, 1_000L),
                new IllegalStateException("bug"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertThat(dlq.topic()).isEqualTo("p.readings.rejected");
        assertThat(new String(dlq.key(), StandardCharsets.UTF_8)).isEqualTo("dev-7");
        RejectedReading letter = (RejectedReading) new ConfluentAvroDeserializer<RejectedReading>(
                        SchemaRegistryClients.forConfig(Map.of("schema.registry.url", registryUrl)),
                        Map.of(),
                        RejectedReading.class)
                .deserialize("p.readings.rejected", dlq.value());
        assertThat(letter.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(letter.getDeviceId()).isEqualTo("dev-7");
        assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap(payload));
        assertThat(letter.getDetail()).contains("bug");
        assertThat(letter.getRejectedAt()).isEqualTo(Instant.ofEpochMilli(1_000L));
    }

    @Test
    void anUnavailableRegistryStopsProcessingSoTheRecordIsRetried() {
        Exception unavailable = new StreamsException(new RegistryUnavailableException(
                "registry down",
                new SchemaRegistryException("unreachable", new java.io.IOException("connection refused"))));
        assertThat(backstop.handleError(
                                context("p.readings.raw", "dev-7", new byte[] {1}),
                                new Record<>("dev-7", new byte[] {1}, 1L),
                                unavailable)
                        .result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void aFailureOnAnotherTopicStopsProcessing() {
        assertThat(backstop.handleError(
                                context("p.participants", "p-1", new byte[] {1}),
                                new Record<>("p-1", new byte[] {1}, 1L),
                                new IllegalStateException("bug"))
                        .result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void undecodableBytesReachingTheDeserializationHandlerAreDeadLetteredToo() {
        var record = new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                "p.readings.raw", 0, 5L, "dev-7".getBytes(StandardCharsets.UTF_8), new byte[] {9});
        var response = backstop.handleError(
                context("p.readings.raw", "dev-7", new byte[] {9}),
                record,
                new org.apache.kafka.common.errors.SerializationException("bad"));
        assertThat(response.result())
                .isEqualTo(org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords())
                .singleElement()
                .satisfies(r -> assertThat(r.topic()).isEqualTo("p.readings.rejected"));
    }

    private static ErrorHandlerContext context(String topic, String key, byte[] value) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return 0;
            }

            @Override
            public long offset() {
                return 5L;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return NormalizationTopology.NORMALIZE;
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 0);
            }

            @Override
            public long timestamp() {
                return 1_000L;
            }

            @Override
            public byte[] sourceRawKey() {
                return key.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] sourceRawValue() {
                return value;
            }
        };
    }
}
