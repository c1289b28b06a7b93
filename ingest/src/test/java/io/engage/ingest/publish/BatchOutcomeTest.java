package io.engage.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.ingest.publish.BatchOutcome.RecordResult;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * docs/ingest.md, "What accepted means": a 202 only when every record was acknowledged; 503/413 only when a failure
 * proves nothing was written; 504 when it may have been; records that disagree are a 504 too.
 */
class BatchOutcomeTest {
    private static final RecordResult OK = RecordResult.ACKNOWLEDGED;

    private static RecordResult async(RuntimeException e) {
        return new RecordResult(e, false);
    }

    private static PublishException.Kind kind(BatchOutcome.Answer a) {
        return a.failure() == null ? null : a.failure().kind();
    }

    @Test
    void everyRecordAcknowledgedIsAccepted() {
        assertThat(BatchOutcome.of(List.of(OK, OK, OK), true)).isEqualTo(BatchOutcome.Answer.ACCEPTED);
    }

    @Test
    void aRecordRefusedBySendWasNotWritten() {
        RecordResult refused = new RecordResult(new TimeoutException("no metadata within max.block.ms"), true);
        assertThat(kind(BatchOutcome.of(List.of(refused, refused), true))).isEqualTo(PublishException.Kind.FAILED);
    }

    @Test
    void aDeliveryTimeoutIsUnknownUnlessNothingOfTheFlushWasEverSent() {
        RecordResult expired = async(new TimeoutException("Expiring 2 record(s)"));
        assertThat(kind(BatchOutcome.of(List.of(expired, expired), true))).isEqualTo(PublishException.Kind.UNKNOWN);
        assertThat(kind(BatchOutcome.of(List.of(expired, expired), false))).isEqualTo(PublishException.Kind.FAILED);
    }

    @Test
    void aBatchTheBrokerRefusedWasNotWritten() {
        RecordResult bad = async(new InvalidRecordException("timestamp out of range"));
        RecordResult innocent = async(new KafkaException(
                BatchOutcome.INNOCENT_IN_REFUSED_BATCH + " which had one more more invalid records"));
        assertThat(kind(BatchOutcome.of(List.of(bad, innocent), true))).isEqualTo(PublishException.Kind.REFUSED);
        assertThat(kind(BatchOutcome.of(List.of(innocent, innocent), true)))
                .as("another request's record spoiled the batch: retried alone")
                .isEqualTo(PublishException.Kind.REFUSED);
        RecordResult tooLarge = async(new RecordTooLargeException("over max.message.bytes"));
        assertThat(kind(BatchOutcome.of(List.of(tooLarge, tooLarge), true))).isEqualTo(PublishException.Kind.TOO_LARGE);
    }

    @Test
    void anyOtherFailureMayHaveBeenWritten() {
        RecordResult other = async(new NotEnoughReplicasException("retries exhausted"));
        assertThat(kind(BatchOutcome.of(List.of(other, other), false))).isEqualTo(PublishException.Kind.UNKNOWN);
    }

    @Test
    void recordsThatDisagreeAreUnknownAndFlagged() {
        BatchOutcome.Answer a = BatchOutcome.of(List.of(OK, async(new InvalidRecordException("x"))), true);
        assertThat(kind(a)).isEqualTo(PublishException.Kind.UNKNOWN);
        assertThat(a.disagreed()).isTrue();
    }
}
