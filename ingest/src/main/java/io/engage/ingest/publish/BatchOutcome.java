package io.engage.ingest.publish;

import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * A request's answer from what the producer said about each of its records (docs/ingest.md, "What accepted means"):
 * all acknowledged is a 202; a failure that proves the record was not written is a 503 or 413 (nothing published);
 * a failure after which the record may have been written is "outcome unknown" (504). A request whose records disagree
 * (some acknowledged, some not) cannot happen when all of it is in one batch, which Kafka writes or refuses whole; if
 * it ever does, the answer is 504 as well.
 */
final class BatchOutcome {
    /** What happened to one record. */
    record RecordResult(RuntimeException error, boolean synchronous) {
        static final RecordResult ACKNOWLEDGED = new RecordResult(null, false);

        boolean acknowledged() {
            return error == null;
        }
    }

    /** The answer: {@code failure} null for a 202; {@code disagreed} when the records' outcomes differed. */
    record Answer(PublishException failure, boolean disagreed) {
        static final Answer ACCEPTED = new Answer(null, false);
    }

    /** What the broker's message is for records that were only in a batch with an invalid record (Sender.failBatch). */
    static final String INNOCENT_IN_REFUSED_BATCH = "Failed to append record because it was part of a batch";

    private BatchOutcome() {}

    /**
     * @param results      one per record of the request, in order
     * @param anythingSent whether the producer sent any batch of this flush to a broker at all (its {@code
     *                     record-send-total}); false proves that a batch that expired was never sent
     */
    static Answer of(List<RecordResult> results, boolean anythingSent) {
        int acknowledged = 0;
        boolean maybeWritten = false;
        PublishException.Kind kind = null;
        RuntimeException first = null;
        for (RecordResult r : results) {
            if (r.acknowledged()) {
                acknowledged++;
                continue;
            }
            if (first == null) {
                first = r.error();
            }
            if (!provesNotWritten(r, anythingSent)) {
                maybeWritten = true;
            }
            kind = worse(kind, TransactionalPublisher.kindOf(r.error()));
        }
        if (acknowledged == results.size()) {
            return Answer.ACCEPTED;
        }
        if (acknowledged > 0) {
            return new Answer(
                    new PublishException(
                            acknowledged + " of the request's " + results.size()
                                    + " records were acknowledged and the others not (" + first
                                    + "); some may be visible",
                            PublishException.Kind.UNKNOWN,
                            first),
                    true);
        }
        if (maybeWritten) {
            return new Answer(
                    new PublishException(
                            "Kafka did not confirm the batch (" + first.getMessage()
                                    + "); it may or may not be written",
                            PublishException.Kind.UNKNOWN,
                            first),
                    false);
        }
        return new Answer(
                new PublishException("Kafka did not take the batch: " + first.getMessage(), kind, first), false);
    }

    /**
     * True when the failure proves the record was not written: refused before it was sent ({@code send} threw or
     * failed it), expired when no batch of the flush was ever sent, or refused by the broker for a reason that is the
     * batch's own (too large, invalid, not authorised: the broker validates a batch before appending it, and a repeat
     * of an earlier attempt would have been refused the same way). A timeout after something was sent, or anything
     * else, may have been written.
     */
    static boolean provesNotWritten(RecordResult r, boolean anythingSent) {
        RuntimeException e = r.error();
        if (r.synchronous()) {
            return true;
        }
        if (e instanceof TimeoutException) {
            return !anythingSent;
        }
        if (e instanceof RecordTooLargeException
                || e instanceof RecordBatchTooLargeException
                || e instanceof org.apache.kafka.common.InvalidRecordException
                || e instanceof CorruptRecordException
                || e instanceof TopicAuthorizationException
                || e instanceof ClusterAuthorizationException
                || e instanceof InvalidTopicException) {
            return true;
        }
        return e.getClass() == KafkaException.class
                && e.getMessage() != null
                && e.getMessage().startsWith(INNOCENT_IN_REFUSED_BATCH);
    }

    /** TOO_LARGE (413) over REFUSED over FAILED: the answer names the most specific reason any record had. */
    private static PublishException.Kind worse(PublishException.Kind a, PublishException.Kind b) {
        if (a == null) {
            return b;
        }
        for (PublishException.Kind k :
                List.of(PublishException.Kind.TOO_LARGE, PublishException.Kind.REFUSED, PublishException.Kind.FAILED)) {
            if (a == k || b == k) {
                return k;
            }
        }
        return a;
    }
}
