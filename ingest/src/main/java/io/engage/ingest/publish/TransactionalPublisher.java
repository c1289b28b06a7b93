package io.engage.ingest.publish;

import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a batch of records atomically: all of it becomes visible to {@code read_committed} readers, or none.
 *
 * <p>Used for what cannot be one producer batch (docs/ingest.md, "What accepted means"): the admin API's writes (an
 * erasure writes two topics) and gateway requests too large for one batch ({@link BatchPublisher} hands them here).
 * The caller hears 2xx only after the transaction committed (acks=all, idempotent), and any non-2xx answer but 504
 * published nothing. Concurrent callers share transactions (group commit): each transactional producer has a
 * committer thread that takes whatever batches are waiting and commits them together. The waiting queue ({@link
 * RequestQueue}, shared with {@link BatchPublisher}) is bounded: when it is full the caller gets a "busy" {@link
 * PublishException} (HTTP 503) at once, never an unbounded queue. A batch that no committer took within the commit deadline is withdrawn and its
 * caller told so (503): it can no longer join a transaction, so nothing is committed after its caller was answered;
 * a batch already in a transaction waits for that transaction's outcome. A commit that times out is retried until its
 * outcome is known (committed, or aborted by the coordinator) or the commit deadline passes; then the caller is told
 * the outcome is unknown ({@link PublishException.Kind#UNKNOWN}, HTTP 504), never that nothing was published. A
 * record larger than the producer may send is refused before it joins a transaction ({@link
 * PublishException.Kind#TOO_LARGE}, HTTP 413), and a group whose transaction failed for a reason other than Kafka being
 * unreachable is retried member by member, so one bad request cannot fail the others sharing its transaction.
 */
public final class TransactionalPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

    private final EngageConfig config;
    private final String transactionalIdPrefix;
    private final RequestQueue queue;
    private final java.util.function.Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
    /** The largest record (key, value, headers and overhead) the producer may send: its {@code max.request.size}. */
    private final int maxRecordBytes;

    private final List<Thread> committers = new java.util.ArrayList<>();
    /** How long one group's transaction takes, from its first send to the commit's return (docs/ingest.md). */
    private final Timer commitTime;
    /** How many requests one transaction carries. */
    private final DistributionSummary groupSize;

    private volatile boolean closed;

    /** One pooled producer; created and initialised lazily, replaced after a fatal error. */
    private final class Slot {
        final int index;
        Producer<byte[], byte[]> producer;

        Slot(int index) {
            this.index = index;
        }

        Producer<byte[], byte[]> producer() {
            if (producer == null) {
                Map<String, Object> props = KafkaClientConfigs.producer(config, transactionalIdPrefix + "-" + index);
                props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalIdPrefix + "-" + index);
                props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
                props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
                props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                Producer<byte[], byte[]> p = producers.apply(props);
                try {
                    p.initTransactions();
                } catch (RuntimeException e) {
                    p.close(Duration.ZERO);
                    throw e;
                }
                producer = p;
            }
            return producer;
        }

        void discard() {
            if (producer != null) {
                try {
                    producer.close(Duration.ofSeconds(1));
                } catch (RuntimeException e) {
                    LOG.debug("closing a failed producer: {}", e.toString());
                }
                producer = null;
            }
        }
    }

    /**
     * @param instanceId distinguishes the transactional ids of ingest instances; it must be stable across restarts
     *                   of an instance (so a restarted instance fences its own zombie) and unique across instances
     */
    public TransactionalPublisher(
            EngageConfig config,
            String instanceId,
            int poolSize,
            Duration acquireTimeout,
            Duration commitDeadline,
            MeterRegistry metrics) {
        this(
                config,
                instanceId,
                poolSize,
                poolSize * RequestQueue.MAX_GROUP_REQUESTS,
                acquireTimeout,
                commitDeadline,
                metrics,
                MeteredProducers.in(metrics));
    }

    /**
     * @param maxWaiting the bound on batches waiting for a committer
     * @param producers  makes a transactional producer from its settings (tests pass a mock)
     */
    TransactionalPublisher(
            EngageConfig config,
            String instanceId,
            int poolSize,
            int maxWaiting,
            Duration acquireTimeout,
            Duration commitDeadline,
            MeterRegistry metrics,
            java.util.function.Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        this.config = config;
        this.producers = producers;
        Object maxRequest =
                KafkaClientConfigs.producer(config, "size-check").get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.maxRecordBytes = maxRequest == null ? 1024 * 1024 : Integer.parseInt(maxRequest.toString());
        this.commitTime = Timer.builder("engage.ingest.transaction")
                .description("one group transaction (admin writes, gateway requests too large for one producer batch):"
                        + " from its first send to the commit")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.groupSize = DistributionSummary.builder("engage.ingest.transaction.requests")
                .description("requests carried by one transaction (group commit)")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.transactionalIdPrefix = config.get(EngageConfig.APPLICATION_ID) + "-ingest-" + instanceId;
        this.queue = new RequestQueue(maxWaiting, acquireTimeout, commitDeadline, poolSize);
        for (int i = 0; i < poolSize; i++) {
            Slot slot = new Slot(i);
            Thread t = new Thread(() -> commitLoop(slot), "ingest-transactions-" + i);
            t.setDaemon(true);
            committers.add(t);
            t.start();
        }
    }

    /**
     * One committer per producer: takes the waiting batches (up to {@value RequestQueue#MAX_GROUP_REQUESTS} requests or
     * {@value RequestQueue#MAX_GROUP_RECORDS} records) and commits them in one transaction, so concurrent requests share the
     * cost of a commit. All of a group commits or none of it does, and each caller hears the outcome.
     */
    private void commitLoop(Slot slot) {
        try {
            while (!closed) {
                List<RequestQueue.Pending> group = new java.util.ArrayList<>();
                int records = 0;
                for (RequestQueue.Pending p : queue.takeGroup(200)) {
                    if (p.send()) {
                        group.add(p);
                        records += p.records.size();
                    }
                }
                if (!group.isEmpty()) {
                    commitGroup(slot, group, records);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slot.discard();
        }
    }

    /** Commits one group; if that fails for a reason of its own, each member alone (one bad request fails alone). */
    private void commitGroup(Slot slot, List<RequestQueue.Pending> group, int records) {
        List<ProducerRecord<byte[], byte[]>> all = new java.util.ArrayList<>(records);
        group.forEach(g -> all.addAll(g.records));
        try {
            long started = System.nanoTime();
            publishWith(slot, all);
            commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            groupSize.record(group.size());
            group.forEach(g -> g.succeed());
        } catch (PublishException e) {
            if (group.size() == 1
                    || (e.kind() != PublishException.Kind.REFUSED && e.kind() != PublishException.Kind.TOO_LARGE)) {
                group.forEach(g -> g.fail(e));
                return;
            }
            LOG.warn("a transaction of {} requests failed ({}); committing each alone", group.size(), e.getMessage());
            PublishException kafkaDown = null;
            for (RequestQueue.Pending g : group) {
                if (kafkaDown != null) {
                    // Kafka itself failed during the retries: the rest hear that at once, not one timeout each
                    g.fail(kafkaDown);
                    continue;
                }
                try {
                    publishWith(slot, g.records);
                    g.succeed();
                } catch (PublishException one) {
                    g.fail(one);
                    if (one.kind() == PublishException.Kind.FAILED || one.kind() == PublishException.Kind.UNKNOWN) {
                        kafkaDown = new PublishException(
                                "Kafka failed while the requests were committed one by one: " + one.getMessage(),
                                PublishException.Kind.FAILED,
                                one);
                    }
                } catch (RuntimeException | Error one) {
                    g.fail(one);
                }
            }
        } catch (RuntimeException | Error e) {
            // never leave a caller waiting: the transaction was aborted (or never began)
            abort(slot);
            group.forEach(g -> g.fail(e));
        }
    }

    /**
     * Publishes {@code records} atomically (in one transaction, possibly shared with other callers' batches);
     * returns once it is committed. Throws a busy {@link PublishException} when the queue stays full for the
     * acquire timeout, and a failure one when Kafka did not commit (then nothing of the batch is visible).
     */
    public void publish(List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        if (closed) {
            throw new PublishException("publisher is closed", false, null);
        }
        RecordSizes.requireEachFits(records, maxRecordBytes);
        queue.submitAndAwait(records);
    }

    private void publishWith(Slot slot, List<ProducerRecord<byte[], byte[]>> records) {
        Producer<byte[], byte[]> p;
        try {
            p = slot.producer();
        } catch (RuntimeException e) {
            throw new PublishException("Kafka is not reachable: " + e.getMessage(), false, e);
        }
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
                new java.util.ArrayList<>(records.size());
        try {
            p.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(p.send(r));
            }
        } catch (ProducerFencedException
                | OutOfOrderSequenceException
                | AuthorizationException
                | InvalidProducerEpochException e) {
            slot.discard();
            throw new PublishException("Kafka refused the batch: " + e.getMessage(), kindOf(e), e);
        } catch (KafkaException | IllegalStateException e) {
            abort(slot);
            throw new PublishException("Kafka did not take the batch: " + e.getMessage(), kindOf(e), e);
        }
        commit(slot, sent);
    }

    /**
     * Commits, retrying a commit that timed out until its outcome is known or the deadline passes. At the deadline the
     * outcome is unknown only if every record was acknowledged: the producer asks the coordinator to commit only then,
     * so with a record still unacknowledged the transaction cannot commit and will be aborted.
     */
    private void commit(
            Slot slot, List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent) {
        long deadline = System.nanoTime() + queue.deadline().toNanos();
        while (true) {
            try {
                slot.producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                // The outcome is not known yet; retrying the commit is allowed and tells us.
                if (System.nanoTime() > deadline) {
                    boolean allAcknowledged =
                            sent.stream().allMatch(f -> f.isDone() && !f.isCancelled() && acknowledged(f));
                    slot.discard();
                    if (!allAcknowledged) {
                        throw new PublishException(
                                "Kafka did not acknowledge the batch within " + queue.deadline()
                                        + "; the transaction will be aborted",
                                PublishException.Kind.FAILED,
                                e);
                    }
                    throw new PublishException(
                            "commit outcome unknown after " + queue.deadline()
                                    + "; the transaction will be aborted by the coordinator unless it already committed",
                            PublishException.Kind.UNKNOWN,
                            e);
                }
                LOG.warn("transaction commit timed out; retrying until its outcome is known");
            } catch (ProducerFencedException
                    | InvalidProducerEpochException
                    | OutOfOrderSequenceException
                    | AuthorizationException e) {
                slot.discard();
                throw new PublishException("Kafka aborted the batch: " + e.getMessage(), kindOf(e), e);
            } catch (KafkaException | IllegalStateException e) {
                abort(slot);
                throw new PublishException("Kafka did not take the batch: " + e.getMessage(), kindOf(e), e);
            }
        }
    }

    /**
     * What a failed transaction says about its records: a record a broker found too large is {@link
     * PublishException.Kind#TOO_LARGE} (413: retrying cannot help); a topic the producer may not write, or anything
     * else not known to be Kafka's, may be one request's fault ({@link PublishException.Kind#REFUSED}), and the group
     * is retried member by member; Kafka unreachable or slow (a timeout or retriable error), fenced or not authorised
     * as a producer is {@link PublishException.Kind#FAILED} for everyone.
     */
    static PublishException.Kind kindOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException) {
                return PublishException.Kind.TOO_LARGE;
            }
            if (t instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
                return PublishException.Kind.REFUSED;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof org.apache.kafka.common.errors.RetriableException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException
                    || t instanceof OutOfOrderSequenceException
                    || t instanceof AuthorizationException) {
                return PublishException.Kind.FAILED;
            }
        }
        return PublishException.Kind.REFUSED;
    }

    private static boolean acknowledged(java.util.concurrent.Future<?> f) {
        try {
            f.get(0, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static void abort(Slot slot) {
        try {
            if (slot.producer != null) {
                slot.producer.abortTransaction();
            }
        } catch (RuntimeException e) {
            slot.discard();
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.closeAfter(committers);
    }
}
