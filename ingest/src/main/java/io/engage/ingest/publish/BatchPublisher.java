package io.engage.ingest.publish;

import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each gateway request atomically without a transaction: all of its records go into one producer batch of
 * an idempotent producer ({@code acks=all}), and Kafka appends a batch whole or not at all (docs/ingest.md, "What
 * accepted means"). Concurrent requests share flushes (group publish) instead of transactions.
 *
 * <p>Each publisher thread owns one producer and is the only caller of its {@code send} and {@code flush}. It takes
 * the requests waiting (a bounded queue shared with {@link TransactionalPublisher}: a full queue is a 503 at once),
 * appends each request's records one after the other to one partition (the partition the default partitioner would
 * choose for the request's key, set explicitly so every record of the request gets the same), then flushes and
 * answers each request from its records' callbacks. {@link OpenBatches} decides when to flush before appending, so a
 * request never spans two batches, and the producer's settings keep a batch from being sent before the flush:
 * {@code linger.ms} longer than any append phase, {@code compression.type=none} (so the bytes counted are the bytes
 * written), {@code batch.size} the largest request it takes, {@code buffer.memory} for twice the batches one flush may
 * open. A request that cannot be one batch (larger than {@code batch.size}, or records for several partitions) goes
 * through {@link TransactionalPublisher} instead, with the same answers.
 */
public final class BatchPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);

    /**
     * The producer's {@code batch.size}: the largest request published as one batch. Kafka's default {@code
     * max.request.size} and just under the brokers' default {@code message.max.bytes} (1,048,588): a broker that
     * refuses a batch as too large makes the producer split it ({@code Sender.completeBatch}, MESSAGE_TOO_LARGE), so
     * {@code readings.raw} must take batches of this size (docs/operations.md).
     */
    static final int BATCH_BYTES = 1024 * 1024;

    /** Most batches (partitions) one flush may carry; {@code buffer.memory} is twice this many batches. */
    static final int MAX_OPEN_BATCHES = 8;

    private final RequestQueue queue;
    private final TransactionalPublisher large;
    private final int batchBytes;
    private final int maxRecordBytes;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
    private final Map<String, Object> producerProps;
    private final String clientIdPrefix;
    private final List<Thread> threads = new ArrayList<>();
    /** One group publish: from the first append to the last flush's return (docs/operations.md). */
    private final Timer publishTime;
    /** Requests answered by one group publish. */
    private final DistributionSummary groupSize;
    /** How long a request waited in the queue before a publisher thread sent it. */
    private final Timer queueWait;

    private volatile boolean closed;

    /**
     * @param instanceId distinguishes the producers' client ids of ingest instances
     * @param threads    publisher threads, each with its own producer
     * @param large      publishes the requests that cannot be one batch
     */
    public BatchPublisher(
            EngageConfig config,
            String instanceId,
            int threads,
            Duration acquireTimeout,
            Duration deadline,
            TransactionalPublisher large,
            MeterRegistry metrics) {
        this(
                config,
                instanceId,
                threads,
                threads * RequestQueue.MAX_GROUP_REQUESTS,
                acquireTimeout,
                deadline,
                large,
                BATCH_BYTES,
                metrics,
                MeteredProducers.in(metrics));
    }

    /** @param producers makes an idempotent producer from its settings (tests pass a mock) */
    BatchPublisher(
            EngageConfig config,
            String instanceId,
            int threadCount,
            int maxWaiting,
            Duration acquireTimeout,
            Duration deadline,
            TransactionalPublisher large,
            int batchBytes,
            MeterRegistry metrics,
            Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        this.large = large;
        this.batchBytes = batchBytes;
        this.producers = producers;
        this.clientIdPrefix = config.get(EngageConfig.APPLICATION_ID) + "-ingest-" + instanceId + "-gateway-";
        this.producerProps = producerProps(config, deadline, batchBytes);
        this.maxRecordBytes = Integer.parseInt(
                producerProps.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG).toString());
        this.queue = new RequestQueue(maxWaiting, acquireTimeout, deadline, threadCount);
        this.publishTime = Timer.builder("engage.ingest.commit")
                .description("one group publish of the gateway: from the first append to the flush that acknowledged"
                        + " every request of the group")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.groupSize = DistributionSummary.builder("engage.ingest.commit.requests")
                .description("requests answered by one group publish of the gateway")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.queueWait = Timer.builder("engage.ingest.queue.wait")
                .description("how long a gateway request waited for a publisher thread to send it")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        for (int i = 0; i < threadCount; i++) {
            Worker w = new Worker(clientIdPrefix + i);
            Thread t = new Thread(w::run, "ingest-publisher-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /**
     * The idempotent producer's settings; each is chosen for the one-batch-per-request argument (docs/ingest.md), so
     * these override what the configuration passes through to producers.
     */
    static Map<String, Object> producerProps(EngageConfig config, Duration deadline, int batchBytes) {
        Map<String, Object> props = KafkaClientConfigs.producer(config, "gateway");
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // the bytes OpenBatches counts are the bytes the batch holds only without compression
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        // room for the batches of one flush while the previous flush's buffers are still being returned (the
        // sender frees a batch's buffer after completing its future): an allocation never waits, and a waiting one
        // would make every batch sendable ("exhausted" in RecordAccumulator.ready)
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (2L * MAX_OPEN_BATCHES + 1) * batchBytes);
        Object maxRequest = props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        int maxRequestBytes = maxRequest == null ? 1024 * 1024 : Integer.parseInt(maxRequest.toString());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(maxRequestBytes, batchBytes));
        // a batch is sent by the flush, never by lingering: the append phase before a flush takes micro- to
        // milliseconds, far below this; the producer requires linger + request timeout <= delivery timeout
        long deadlineMs = Math.max(1_000, deadline.toMillis());
        long requestTimeout = Math.min(10_000, deadlineMs / 2);
        long linger = Math.min(5_000, deadlineMs / 4);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout);
        // every outcome is known within the caller's deadline (ingest.ack.timeout)
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deadlineMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(10_000L, deadlineMs / 2));
        return props;
    }

    /**
     * Publishes {@code records} atomically and returns once every one is acknowledged ({@code acks=all}). Throws a
     * {@link PublishException}: busy (503) when the queue is full or no thread sent them in time, TOO_LARGE (413) for a
     * record the producer may not send, FAILED or REFUSED (503) when Kafka did not write them, UNKNOWN (504) when it
     * may have.
     */
    public void publish(List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        if (closed) {
            throw new PublishException("publisher is closed", false, null);
        }
        RecordSizes.requireEachFits(records, maxRecordBytes);
        if (!onePartition(records) || RecordSizes.batchUpperBound(records) >= batchBytes) {
            large.publish(records);
            return;
        }
        queue.submitAndAwait(records);
    }

    /** True when every record has the request's topic, key and partition (then the records share a partition). */
    static boolean onePartition(List<ProducerRecord<byte[], byte[]>> records) {
        ProducerRecord<byte[], byte[]> first = records.get(0);
        for (ProducerRecord<byte[], byte[]> r : records) {
            if (!r.topic().equals(first.topic())
                    || !Arrays.equals(r.key(), first.key())
                    || !java.util.Objects.equals(r.partition(), first.partition())) {
                return false;
            }
        }
        return true;
    }

    /** One publisher thread and its producer. */
    private final class Worker {
        private final String clientId;
        private Producer<byte[], byte[]> producer;
        private final OpenBatches open = new OpenBatches(batchBytes, MAX_OPEN_BATCHES);
        /** The requests appended since the last flush. */
        private final List<Appended> appended = new ArrayList<>();
        /** The producer's record-send-total for the topic, once it exists. */
        private Metric recordsSent;

        private String recordsSentTopic;

        Worker(String clientId) {
            this.clientId = clientId;
        }

        void run() {
            try {
                while (!closed) {
                    List<RequestQueue.Pending> group = queue.takeGroup(200);
                    if (!group.isEmpty()) {
                        publishGroup(group);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                discard();
            }
        }

        private Producer<byte[], byte[]> producer() {
            if (producer == null) {
                Map<String, Object> props = new java.util.HashMap<>(producerProps);
                props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
                producer = producers.apply(props);
                recordsSent = null;
            }
            return producer;
        }

        private void discard() {
            if (producer != null) {
                try {
                    producer.close(Duration.ofSeconds(1));
                } catch (RuntimeException e) {
                    LOG.debug("closing a failed producer: {}", e.toString());
                }
                producer = null;
            }
        }

        private void publishGroup(List<RequestQueue.Pending> group) {
            long started = System.nanoTime();
            List<Appended> retryAlone = new ArrayList<>();
            int answered = 0;
            for (RequestQueue.Pending p : group) {
                int partition;
                Producer<byte[], byte[]> prod;
                try {
                    prod = producer();
                    partition = partitionOf(prod, p.records.get(0));
                } catch (RuntimeException e) {
                    // nothing of it was sent: the request fails alone; what was appended is answered, and the
                    // producer replaced
                    p.fail(new PublishException(
                            "Kafka is not reachable: " + e.getMessage(), TransactionalPublisher.kindOf(e), e));
                    answered += flushAndAnswer(retryAlone);
                    discard();
                    continue;
                }
                int bytes = RecordSizes.batchUpperBound(p.records);
                if (open.flushFirst(partition, bytes)) {
                    answered += flushAndAnswer(retryAlone);
                }
                if (!p.send()) {
                    continue; // its caller withdrew it (deadline): it must not be sent now
                }
                queueWait.record(System.nanoTime() - p.queuedAt, TimeUnit.NANOSECONDS);
                appended.add(append(prod, p, partition));
                open.add(partition, bytes);
            }
            answered += flushAndAnswer(retryAlone);
            // a batch the broker refused because of one request's record: the others were not written, each is
            // sent again alone so the bad one fails alone
            for (Appended a : retryAlone) {
                Appended again;
                try {
                    again = append(producer(), a.pending, partitionOf(producer(), a.pending.records.get(0)));
                } catch (RuntimeException e) {
                    a.pending.fail(new PublishException(
                            "Kafka is not reachable: " + e.getMessage(), TransactionalPublisher.kindOf(e), e));
                    continue;
                }
                appended.add(again);
                answered += flushAndAnswer(null);
            }
            publishTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            groupSize.record(answered);
        }

        /** Sends each record of {@code p}; a record that {@code send} refuses stops the rest of the request. */
        private Appended append(Producer<byte[], byte[]> prod, RequestQueue.Pending p, int partition) {
            Appended a = new Appended(p);
            for (int i = 0; i < p.records.size(); i++) {
                ProducerRecord<byte[], byte[]> r = p.records.get(i);
                ProducerRecord<byte[], byte[]> toPartition =
                        new ProducerRecord<>(r.topic(), partition, r.timestamp(), r.key(), r.value(), r.headers());
                int index = i;
                a.sending = i;
                try {
                    prod.send(toPartition, (metadata, e) -> a.complete(index, e));
                } catch (RuntimeException e) {
                    a.complete(index, e);
                }
                a.sending = -1;
                if (a.results.get(i) != null && !a.results.get(i).acknowledged()) {
                    for (int j = i + 1; j < p.records.size(); j++) {
                        a.results.set(
                                j,
                                new BatchOutcome.RecordResult(a.results.get(i).error(), true));
                    }
                    break;
                }
            }
            return a;
        }

        /** Flushes and answers every request appended since the last flush; returns how many were answered. */
        private int flushAndAnswer(List<Appended> retryAlone) {
            if (appended.isEmpty()) {
                open.clear();
                return 0;
            }
            double sentBefore = recordsSent();
            RuntimeException flushFailed = null;
            try {
                producer.flush();
            } catch (RuntimeException e) {
                flushFailed = e; // interrupted (closing): what completed says what it may
            }
            double sentAfter = recordsSent();
            // "nothing sent" is proven only by the producer's own count for the one topic of every request here
            boolean anythingSent = flushFailed != null
                    || recordsSent == null
                    || sentAfter != sentBefore
                    || !appended.stream()
                            .allMatch(a -> a.pending.records.get(0).topic().equals(recordsSentTopic));
            boolean discard = false;
            int answered = 0;
            boolean shared = appended.size() > 1;
            for (Appended a : appended) {
                List<BatchOutcome.RecordResult> results = a.results();
                if (results == null) {
                    a.pending.fail(new PublishException(
                            "the flush did not complete (" + flushFailed + "); the outcome is not known",
                            PublishException.Kind.UNKNOWN,
                            flushFailed));
                    answered++;
                    discard = true;
                    continue;
                }
                BatchOutcome.Answer answer = BatchOutcome.of(results, anythingSent);
                if (answer.failure() == null) {
                    a.pending.succeed();
                    answered++;
                    continue;
                }
                if (answer.disagreed()) {
                    LOG.error(
                            "a request's records were not all in one batch: {}; answered 504",
                            answer.failure().getMessage());
                }
                if (answer.failure().kind() == PublishException.Kind.REFUSED && shared && retryAlone != null) {
                    retryAlone.add(a);
                    continue;
                }
                if (answer.disagreed()
                        || (answer.failure().kind() == PublishException.Kind.UNKNOWN
                                && !(answer.failure().getCause() instanceof TimeoutException))) {
                    // something unexpected: start again with a fresh producer (and producer id). A timeout keeps
                    // the producer, which resolves its sequences itself, and its count of records sent.
                    discard = true;
                }
                a.pending.fail(answer.failure());
                answered++;
            }
            appended.clear();
            open.clear();
            if (discard) {
                discard();
            }
            return answered;
        }

        /**
         * The producer's count of records it sent to brokers for the topic ({@code record-send-total} of {@code
         * producer-topic-metrics}, recorded when the sender drains a batch, before the request goes out). Unchanged
         * over a flush, it proves no batch of that flush was ever sent. NaN when the producer has no such metric yet.
         */
        private double recordsSent() {
            if (recordsSent == null && producer != null) {
                String topic = appended.isEmpty()
                        ? null
                        : appended.get(0).pending.records.get(0).topic();
                for (Map.Entry<MetricName, ? extends Metric> e :
                        producer.metrics().entrySet()) {
                    MetricName n = e.getKey();
                    if (n.name().equals("record-send-total")
                            && n.group().equals("producer-topic-metrics")
                            && topic != null
                            && topic.equals(n.tags().get("topic"))) {
                        recordsSent = e.getValue();
                        recordsSentTopic = topic;
                        break;
                    }
                }
            }
            if (recordsSent == null) {
                return 0;
            }
            Object v = recordsSent.metricValue();
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    /** A request's records handed to the producer, and what it said about each. */
    private static final class Appended {
        final RequestQueue.Pending pending;
        final AtomicReferenceArray<BatchOutcome.RecordResult> results;
        /** The record being sent by the publisher thread (a callback for it now is {@code send} refusing it). */
        volatile int sending = -1;

        private final java.util.concurrent.atomic.AtomicInteger acknowledged =
                new java.util.concurrent.atomic.AtomicInteger();

        Appended(RequestQueue.Pending pending) {
            this.pending = pending;
            this.results = new AtomicReferenceArray<>(pending.records.size());
        }

        void complete(int index, Exception e) {
            RuntimeException error = e == null
                    ? null
                    : e instanceof RuntimeException re ? re : new org.apache.kafka.common.KafkaException(e);
            if (error == null && acknowledged.incrementAndGet() == results.length()) {
                // every record acknowledged: the caller hears it now, from the producer's I/O thread, not after the
                // publisher thread wakes from its flush (one thread hand-off less on the way to the 202)
                pending.succeed();
            }
            results.compareAndSet(
                    index,
                    null,
                    error == null
                            ? BatchOutcome.RecordResult.ACKNOWLEDGED
                            : new BatchOutcome.RecordResult(error, sending == index));
        }

        /** Each record's result; null when some record has none yet. */
        List<BatchOutcome.RecordResult> results() {
            List<BatchOutcome.RecordResult> out = new ArrayList<>(results.length());
            for (int i = 0; i < results.length(); i++) {
                BatchOutcome.RecordResult r = results.get(i);
                if (r == null) {
                    return null;
                }
                out.add(r);
            }
            return out;
        }
    }

    /**
     * The partition the producer's default partitioner picks for the request's key (murmur2 of the key over the
     * topic's partitions, {@code BuiltInPartitioner.partitionForKey}, as {@code KafkaProducer.partition} does), set
     * on every record so all of them go to that partition even if the partition count changed meanwhile.
     */
    static int partitionOf(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> first) {
        if (first.partition() != null) {
            return first.partition();
        }
        List<PartitionInfo> partitions = producer.partitionsFor(first.topic());
        if (partitions == null || partitions.isEmpty()) {
            throw new org.apache.kafka.common.KafkaException("no partitions known for " + first.topic());
        }
        if (first.key() == null) {
            return partitions
                    .get(java.util.concurrent.ThreadLocalRandom.current().nextInt(partitions.size()))
                    .partition();
        }
        return BuiltInPartitioner.partitionForKey(first.key(), partitions.size());
    }

    @Override
    public void close() {
        closed = true;
        queue.closeAfter(threads);
    }
}
