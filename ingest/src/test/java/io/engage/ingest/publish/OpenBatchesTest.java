package io.engage.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * docs/ingest.md, "What accepted means": the publisher thread flushes before a request that could overflow its
 * partition's open batch, or open more batches than the producer's buffer pool holds, so a request is always one
 * batch.
 */
class OpenBatchesTest {
    private static final int HEADER = RecordSizes.BATCH_HEADER_BYTES;

    @Test
    void aRequestThatFitsWhatIsLeftOfItsPartitionsBatchIsAppendedWithoutAFlush() {
        OpenBatches open = new OpenBatches(1_000, 4);
        assertThat(open.flushFirst(0, 400)).as("nothing open").isFalse();
        open.add(0, 400);
        // the second request adds its records only: the batch header is counted once
        assertThat(open.flushFirst(0, 400 + 0)).isFalse();
        open.add(0, 400);
        assertThat(open.flushFirst(0, 400))
                .as("400 + 400 + 400 - 2 headers >= 1,000")
                .isTrue();
    }

    @Test
    void aRequestThatWouldFillTheBatchExactlyFlushesFirstSoTheBatchIsNeverFullBeforeTheFlush() {
        OpenBatches open = new OpenBatches(1_000, 4);
        open.add(3, 500);
        assertThat(open.flushFirst(3, 1_000 - 500 + HEADER))
                .as("exactly 1,000 bytes")
                .isTrue();
        assertThat(open.flushFirst(3, 1_000 - 500 + HEADER - 1))
                .as("one byte less")
                .isFalse();
    }

    @Test
    void otherPartitionsHaveTheirOwnBatchesUpToTheBatchesThePoolHolds() {
        OpenBatches open = new OpenBatches(1_000, 2);
        open.add(0, 900);
        assertThat(open.flushFirst(1, 900)).as("a second batch").isFalse();
        open.add(1, 900);
        assertThat(open.flushFirst(2, 100))
                .as("a third batch: more than the pool is sized for")
                .isTrue();
        assertThat(open.flushFirst(0, 100)).as("900 + 100 - header < 1,000").isFalse();
        open.clear();
        assertThat(open.isEmpty()).isTrue();
        assertThat(open.flushFirst(2, 900)).isFalse();
    }

    @Test
    void aRequestOfAtLeastTheBatchSizeIsNotOneBatchAndIsNeverCounted() {
        OpenBatches open = new OpenBatches(1_000, 2);
        assertThat(open.fitsOneBatch(999)).isTrue();
        assertThat(open.fitsOneBatch(1_000)).isFalse();
        assertThatThrownBy(() -> open.add(0, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
