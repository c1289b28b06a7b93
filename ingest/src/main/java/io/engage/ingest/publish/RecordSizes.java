package io.engage.ingest.publish;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Upper bounds of the bytes records take in a producer batch, computed as the producer computes them (docs/ingest.md,
 * "What accepted means"). {@code AbstractRecords.estimateSizeInBytesUpperBound} is what {@code KafkaProducer.doSend}
 * checks against {@code max.request.size} and what {@code RecordAccumulator.append} sizes a new batch with: for the
 * v2 format, the batch header ({@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}, 61 bytes) plus the record's size with
 * the largest possible varints for its offset and timestamp deltas. A batch's actual size never exceeds this bound
 * summed over its records plus one header, since {@code MemoryRecordsBuilder.hasRoomFor} counts the header and the
 * records' exact sizes (uncompressed).
 */
final class RecordSizes {
    /** The v2 batch header, counted once per batch. */
    static final int BATCH_HEADER_BYTES = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;

    private RecordSizes() {}

    /** The largest a record may be in a batch, without the batch header, uncompressed. */
    static int recordUpperBound(ProducerRecord<byte[], byte[]> r) {
        Header[] headers = r.headers().toArray();
        return AbstractRecords.estimateSizeInBytesUpperBound(
                        RecordBatch.MAGIC_VALUE_V2, CompressionType.NONE, r.key(), r.value(), headers)
                - BATCH_HEADER_BYTES;
    }

    /** The largest the records take in a producer request alone (one batch: one header plus each record). */
    static int batchUpperBound(List<ProducerRecord<byte[], byte[]>> records) {
        long bytes = BATCH_HEADER_BYTES;
        for (ProducerRecord<byte[], byte[]> r : records) {
            bytes += recordUpperBound(r);
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /**
     * Refuses (413, nothing published) a request with a record the producer may not send: larger, with its own batch
     * header, than {@code max.request.size}; the producer would fail it in {@code send}.
     */
    static void requireEachFits(List<ProducerRecord<byte[], byte[]>> records, int maxRequestBytes) {
        for (ProducerRecord<byte[], byte[]> r : records) {
            int size = BATCH_HEADER_BYTES + recordUpperBound(r);
            if (size > maxRequestBytes) {
                throw new PublishException(
                        "a record for " + r.topic() + " is " + size + " bytes, more than the " + maxRequestBytes
                                + " the producer may send (max.request.size)",
                        PublishException.Kind.TOO_LARGE,
                        null);
            }
        }
    }
}
