package io.engage.simulator;

import io.engage.avro.RejectReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A sink's answer for one batch, per reading: accepted (the gateway answered 202 for it, or Kafka acknowledged it),
 * rejected with a reason (the gateway said so in its answer), or failed (not acknowledged: retries exhausted,
 * Kafka send error).
 *
 * @param size       readings in the batch
 * @param rejections readings the receiver rejected, by index into the batch, ascending
 * @param failed     indexes of readings that were not acknowledged, ascending
 * @param failure    why they failed (the last error), or null when none did
 */
public record SendResult(int size, List<Rejection> rejections, List<Integer> failed, String failure) {

    /** One reading the receiver rejected. */
    public record Rejection(int index, RejectReason reason) {
        public Rejection {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** What happened to one reading. */
    public enum Status {
        ACCEPTED,
        REJECTED,
        FAILED
    }

    public SendResult {
        rejections = List.copyOf(rejections);
        failed = List.copyOf(failed);
        if (rejections.size() + failed.size() > size) {
            throw new IllegalArgumentException("more outcomes than readings: " + size);
        }
    }

    /** Every reading accepted. */
    public static SendResult accepted(int size) {
        return new SendResult(size, List.of(), List.of(), null);
    }

    /** Every reading failed. */
    public static SendResult failedAll(int size, String failure) {
        List<Integer> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(i);
        }
        return new SendResult(size, List.of(), all, failure);
    }

    public int acceptedCount() {
        return size - rejections.size() - failed.size();
    }

    /** The status of the reading at {@code index}. */
    public Status status(int index) {
        if (Collections.binarySearch(failed, index) >= 0) {
            return Status.FAILED;
        }
        return reason(index) == null ? Status.ACCEPTED : Status.REJECTED;
    }

    /** The reason the reading at {@code index} was rejected, or null. */
    public RejectReason reason(int index) {
        for (Rejection r : rejections) {
            if (r.index() == index) {
                return r.reason();
            }
        }
        return null;
    }

    /** This result followed by {@code next} (for a batch sent in chunks). */
    public SendResult append(SendResult next) {
        List<Rejection> rs = new ArrayList<>(rejections);
        next.rejections.forEach(r -> rs.add(new Rejection(size + r.index(), r.reason())));
        List<Integer> fs = new ArrayList<>(failed);
        next.failed.forEach(i -> fs.add(size + i));
        return new SendResult(size + next.size, rs, fs, next.failure != null ? next.failure : failure);
    }
}
