package io.engage.ingest.publish;

import java.util.HashMap;
import java.util.Map;

/**
 * What one publisher thread has appended to its producer since its last flush, per partition, as upper bounds of
 * bytes; and the decision "flush before appending this request?" that keeps every request inside one producer batch
 * (docs/ingest.md, "What accepted means").
 *
 * <p>Between two flushes a partition has at most one open batch: the flush completes every batch, and this class
 * never lets the bytes appended to a partition reach {@code batchBytes} ({@code batch.size}), so the producer never
 * finds its last batch without room and never opens a second one ({@code RecordAccumulator.tryAppend} starts a new
 * batch only when {@code MemoryRecordsBuilder.hasRoomFor} says no, and that counts the same header and record sizes
 * this class bounds). Keeping the total strictly below the limit also keeps the batch from being "full" (the
 * accumulator's {@code isFull}: bytes written at the limit), which would make it sendable before the flush. It never
 * opens more than {@code maxBatches} batches either, so the producer's buffer pool ({@code buffer.memory}, sized for
 * twice that many batches) is never exhausted: an exhausted pool makes every batch sendable at once.
 */
final class OpenBatches {
    private final int batchBytes;
    private final int maxBatches;
    private final Map<Integer, Integer> bytesByPartition = new HashMap<>();

    OpenBatches(int batchBytes, int maxBatches) {
        if (maxBatches < 1 || batchBytes <= RecordSizes.BATCH_HEADER_BYTES) {
            throw new IllegalArgumentException("batchBytes " + batchBytes + ", maxBatches " + maxBatches);
        }
        this.batchBytes = batchBytes;
        this.maxBatches = maxBatches;
    }

    /** True when a request of {@code requestBytes} (its {@link RecordSizes#batchUpperBound}) fits one batch alone. */
    boolean fitsOneBatch(int requestBytes) {
        return requestBytes < batchBytes;
    }

    /**
     * True when the thread must flush before appending a request of {@code requestBytes} (its {@link
     * RecordSizes#batchUpperBound}, one batch header included) to {@code partition}: it would not fit what is left of
     * the partition's open batch, or it would open one batch more than the pool is sized for.
     */
    boolean flushFirst(int partition, int requestBytes) {
        Integer open = bytesByPartition.get(partition);
        if (open == null) {
            return bytesByPartition.size() >= maxBatches;
        }
        // the open batch already counts its header once
        return (long) open + requestBytes - RecordSizes.BATCH_HEADER_BYTES >= batchBytes;
    }

    /** Counts a request appended to {@code partition}; call only after {@link #flushFirst} said no (or a flush). */
    void add(int partition, int requestBytes) {
        if (!fitsOneBatch(requestBytes)) {
            throw new IllegalArgumentException(requestBytes + " bytes do not fit one batch of " + batchBytes);
        }
        bytesByPartition.merge(partition, requestBytes, (a, b) -> a + b - RecordSizes.BATCH_HEADER_BYTES);
    }

    /** The producer flushed: no batch is open. */
    void clear() {
        bytesByPartition.clear();
    }

    boolean isEmpty() {
        return bytesByPartition.isEmpty();
    }
}
