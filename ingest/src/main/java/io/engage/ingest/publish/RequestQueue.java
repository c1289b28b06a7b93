package io.engage.ingest.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The requests waiting for a publisher thread, shared by both publishers (docs/ingest.md, "What accepted means"): a
 * bounded queue (a full queue is a "busy" {@link PublishException} at once, HTTP 503), taken in groups by the publisher
 * threads, and the caller's wait for its outcome. A request not yet sent when the deadline passes is withdrawn (503,
 * nothing published and nothing will be); a request already sent waits for its outcome, and the caller hears "outcome
 * unknown" (504) only if that does not come within the deadline plus {@link #OUTCOME_MARGIN}.
 */
final class RequestQueue {
    /** Most requests and records one group carries. */
    static final int MAX_GROUP_REQUESTS = 256;

    static final int MAX_GROUP_RECORDS = 20_000;

    /** How long past the deadline a caller whose request was sent waits before "outcome unknown". */
    static final Duration OUTCOME_MARGIN = Duration.ofSeconds(30);

    /** One caller's request: its records, its outcome, and how far a publisher thread got with it. */
    static final class Pending {
        private static final int WAITING = 0;
        private static final int GROUPED = 1;
        private static final int SENT = 2;
        private static final int WITHDRAWN = 3;

        final List<ProducerRecord<byte[], byte[]>> records;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** When its caller queued it (System.nanoTime()). */
        final long queuedAt = System.nanoTime();

        private final AtomicInteger state = new AtomicInteger(WAITING);

        Pending(List<ProducerRecord<byte[], byte[]>> records) {
            this.records = records;
        }

        /** A publisher thread takes the request into a group; false when its caller withdrew it. */
        boolean group() {
            return state.compareAndSet(WAITING, GROUPED);
        }

        /**
         * The publisher thread is about to hand the records to Kafka; false when the caller withdrew it first (then
         * none of them may be sent).
         */
        boolean send() {
            return state.compareAndSet(GROUPED, SENT) || state.compareAndSet(WAITING, SENT);
        }

        /** The caller withdraws the request; false when some of it may already be with Kafka. */
        boolean withdraw() {
            return state.compareAndSet(WAITING, WITHDRAWN) || state.compareAndSet(GROUPED, WITHDRAWN);
        }

        void succeed() {
            done.complete(null);
        }

        void fail(Throwable e) {
            done.completeExceptionally(e);
        }
    }

    private final BlockingQueue<Pending> waiting;
    private final Duration acquireTimeout;
    private final Duration deadline;
    private final int threads;

    RequestQueue(int maxWaiting, Duration acquireTimeout, Duration deadline, int threads) {
        this.waiting = new ArrayBlockingQueue<>(maxWaiting);
        this.acquireTimeout = acquireTimeout;
        this.deadline = deadline;
        this.threads = threads;
    }

    Duration deadline() {
        return deadline;
    }

    /**
     * Queues {@code records} and waits for their outcome; returns once a publisher thread published them, throws the
     * {@link PublishException} that says why not otherwise.
     */
    void submitAndAwait(List<ProducerRecord<byte[], byte[]>> records) {
        Pending p = new Pending(List.copyOf(records));
        try {
            if (!waiting.offer(p, acquireTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PublishException(
                        waiting.size() + " requests are waiting for the " + threads + " publishers", true, null);
            }
            try {
                p.done.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                if (p.withdraw()) {
                    waiting.remove(p);
                    throw new PublishException(
                            "no publisher sent the batch within " + deadline + "; withdrawn", true, notYet);
                }
                // sent: its outcome comes (the producer's own timeouts are within the deadline), and the caller hears
                // it; a publisher that does not answer even then leaves the outcome unknown
                try {
                    p.done.get(deadline.toMillis() + OUTCOME_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillNot) {
                    throw new PublishException(
                            "no outcome within " + deadline.multipliedBy(2).plus(OUTCOME_MARGIN),
                            PublishException.Kind.UNKNOWN,
                            stillNot);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p.withdraw()) {
                waiting.remove(p);
                throw new PublishException("interrupted while waiting to publish; withdrawn", true, e);
            }
            throw new PublishException(
                    "interrupted while publishing; the outcome is not known", PublishException.Kind.UNKNOWN, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PublishException pe) {
                throw pe;
            }
            throw new PublishException("Kafka did not take the batch: " + e.getCause(), false, e.getCause());
        }
    }

    /**
     * The requests waiting now, at least one (waits up to {@code pollMillis} for it; empty if none came), at most
     * {@value #MAX_GROUP_REQUESTS} requests and {@value #MAX_GROUP_RECORDS} records. Each is {@link Pending#group()
     * grouped}: its caller can still withdraw it until the thread {@link Pending#send() sends} it.
     */
    List<Pending> takeGroup(long pollMillis) throws InterruptedException {
        Pending first = waiting.poll(pollMillis, TimeUnit.MILLISECONDS);
        if (first == null || !first.group()) {
            return List.of();
        }
        List<Pending> group = new ArrayList<>();
        group.add(first);
        int records = first.records.size();
        Pending next;
        while (group.size() < MAX_GROUP_REQUESTS
                && records < MAX_GROUP_RECORDS
                && (next = waiting.peek()) != null
                && records + next.records.size() <= MAX_GROUP_RECORDS
                && waiting.remove(next)) {
            if (next.group()) {
                group.add(next);
                records += next.records.size();
            }
        }
        return group;
    }

    /**
     * Closing a publisher: waits (up to 10 s each) for its {@code workers}, which stop taking groups once the
     * publisher is marked closed, then fails every request still waiting.
     */
    void closeAfter(java.util.List<Thread> workers) {
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failWaiting();
    }

    /** Fails every request still waiting (the publisher is closing). */
    private void failWaiting() {
        Pending p;
        while ((p = waiting.poll()) != null) {
            p.fail(new PublishException("publisher is closed", false, null));
        }
    }
}
