package io.engage.ingest.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;

/**
 * Publishes a batch of records atomically: all of it becomes visible to {@code read_committed} readers, or none.
 *
 * <p>The gateway answers 202 only after the transaction committed (acks=all, idempotent), and any non-2xx answer
 * published nothing. A bounded pool of transactional producers (one transaction at a time each) bounds memory and
 * concurrency: when every producer is busy for longer than the acquire timeout the caller gets a "busy"
 * {@link PublishException} (HTTP 429/503), never an unbounded queue. A commit that times out is retried until its
 * outcome is known (committed, or aborted by the coordinator), so an uncertain answer is never given as a failure.
 */
public final class TransactionalPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

    private final EngageConfig config;
    private final String transactionalIdPrefix;
    private final BlockingQueue<Slot> idle;
    private final int poolSize;
    private final Duration acquireTimeout;
    private final Duration commitDeadline;
    private final AtomicInteger created = new AtomicInteger();
    private volatile boolean closed;

    /** One pooled producer; created and initialised lazily, replaced after a fatal error. */
    private final class Slot {
        final int index;
        KafkaProducer<byte[], byte[]> producer;

        Slot(int index) {
            this.index = index;
        }

        KafkaProducer<byte[], byte[]> producer() {
            if (producer == null) {
                Map<String, Object> props = KafkaClientConfigs.producer(config, transactionalIdPrefix + "-" + index);
                props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalIdPrefix + "-" + index);
                props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
                props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
                props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
                try {
                    p.initTransactions();
                } catch (RuntimeException e) {
                    p.close(Duration.ZERO);
                    throw e;
                }
                producer = p;
                created.incrementAndGet();
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
    public TransactionalPublisher(EngageConfig config, String instanceId, int poolSize, Duration acquireTimeout,
                                  Duration commitDeadline) {
        this.config = config;
        this.transactionalIdPrefix = config.get(EngageConfig.APPLICATION_ID) + "-ingest-" + instanceId;
        this.poolSize = poolSize;
        this.idle = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            idle.add(new Slot(i));
        }
        this.acquireTimeout = acquireTimeout;
        this.commitDeadline = commitDeadline;
    }

    /** Publishes {@code records} in one transaction; returns once it is committed. */
    public void publish(List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        if (closed) {
            throw new PublishException("publisher is closed", false, null);
        }
        Slot slot;
        try {
            slot = idle.poll(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for a publisher", true, e);
        }
        if (slot == null) {
            throw new PublishException("all " + poolSize + " publishers are busy", true, null);
        }
        try {
            publishWith(slot, records);
        } finally {
            if (closed) {
                slot.discard();
            } else {
                idle.add(slot);
            }
        }
    }

    private void publishWith(Slot slot, List<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> p;
        try {
            p = slot.producer();
        } catch (RuntimeException e) {
            throw new PublishException("Kafka is not reachable: " + e.getMessage(), false, e);
        }
        try {
            p.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                p.send(r);
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | InvalidProducerEpochException e) {
            slot.discard();
            throw new PublishException("Kafka refused the batch: " + e.getMessage(), false, e);
        } catch (KafkaException | IllegalStateException e) {
            abort(slot);
            throw new PublishException("Kafka did not take the batch: " + e.getMessage(), false, e);
        }
        commit(slot);
    }

    private void commit(Slot slot) {
        long deadline = System.nanoTime() + commitDeadline.toNanos();
        while (true) {
            try {
                slot.producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                // The outcome is not known yet; retrying the commit is allowed and tells us.
                if (System.nanoTime() > deadline) {
                    slot.discard();
                    throw new PublishException("commit outcome unknown after " + commitDeadline
                            + "; the transaction will be aborted by the coordinator unless it already committed", false, e);
                }
                LOG.warn("transaction commit timed out; retrying until its outcome is known");
            } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                     | AuthorizationException e) {
                slot.discard();
                throw new PublishException("Kafka aborted the batch: " + e.getMessage(), false, e);
            } catch (KafkaException | IllegalStateException e) {
                abort(slot);
                throw new PublishException("Kafka did not take the batch: " + e.getMessage(), false, e);
            }
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

    /** How many producers have been created (and initialised) so far. */
    public int producersCreated() {
        return created.get();
    }

    @Override
    public void close() {
        closed = true;
        Slot s;
        while ((s = idle.poll()) != null) {
            s.discard();
        }
    }
}
