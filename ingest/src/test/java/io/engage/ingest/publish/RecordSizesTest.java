package io.engage.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.junit.jupiter.api.Test;

/**
 * docs/ingest.md, "What accepted means": the bound a request is counted with is never below what its records take in
 * a batch the way the producer builds it (v2 format, no compression), whatever their timestamps.
 */
class RecordSizesTest {
    private static ProducerRecord<byte[], byte[]> record(long timestamp, String key, int valueBytes) {
        return new ProducerRecord<>(
                "readings.raw", null, timestamp, key.getBytes(StandardCharsets.UTF_8), new byte[valueBytes]);
    }

    @Test
    void theBoundIsAtLeastTheBatchTheProducerBuilds() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int i = 0; i < 500; i++) {
            // timestamps far apart and out of order: the largest varints for the deltas
            records.add(record(i % 2 == 0 ? t + i * 1_000_000_000L : t - i * 1_000_000_000L, "dev-" + i % 7, 100 + i));
        }
        int bound = RecordSizes.batchUpperBound(records);
        MemoryRecordsBuilder b =
                MemoryRecords.builder(ByteBuffer.allocate(bound), Compression.NONE, TimestampType.CREATE_TIME, 0L);
        for (ProducerRecord<byte[], byte[]> r : records) {
            assertThat(b.hasRoomFor(
                            r.timestamp(), r.key(), r.value(), r.headers().toArray()))
                    .as("room within the bound")
                    .isTrue();
            b.append(r.timestamp(), r.key(), r.value(), r.headers().toArray());
        }
        assertThat(b.build().sizeInBytes()).isLessThanOrEqualTo(bound);
    }

    @Test
    void aDeviceSyncOfFourReadingsIsFarBelowOneBatch() {
        List<ProducerRecord<byte[], byte[]>> sync = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sync.add(record(1_700_000_000_000L, "trk-0001", 120));
        }
        assertThat(RecordSizes.batchUpperBound(sync))
                .isEqualTo(RecordSizes.BATCH_HEADER_BYTES + 4 * RecordSizes.recordUpperBound(sync.get(0)))
                .isLessThan(1_000);
    }

    @Test
    void aRecordLargerThanTheProducerMaySendIsTooLarge() {
        assertThatThrownBy(() -> RecordSizes.requireEachFits(List.of(record(0, "d", 1024 * 1024)), 1024 * 1024))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.TOO_LARGE))
                .hasMessageContaining("max.request.size");
        RecordSizes.requireEachFits(List.of(record(0, "d", 1000)), 1024 * 1024);
    }
}
