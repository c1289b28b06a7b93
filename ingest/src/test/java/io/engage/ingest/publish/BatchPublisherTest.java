package io.engage.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.config.EngageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/ingest.md, "What accepted means": the gateway's publisher with a producer that behaves like a broker taking
 * batches (a flush writes each partition's batch whole, or refuses it whole when a record is invalid): every request
 * is in one batch, a full queue answers busy at once, a request not sent in time is withdrawn and never sent, a record
 * too large is refused before it is sent, a batch spoiled by one request's record is sent again request by request,
 * and a request that cannot be one batch goes through a transaction.
 */
class BatchPublisherTest {
    private static final EngageConfig CONFIG = EngageConfig.of(Map.of("bootstrap.servers", "localhost:1"));
    private static final String TOPIC = "readings.raw";
    private static final int PARTITIONS = 3;

    /** Appends to one batch per partition until flush; a flush writes or refuses each batch whole. */
    static final class BatchingProducer extends MockProducer<byte[], byte[]> {
        private final CountDownLatch open;
        private final Map<TopicPartition, List<Object[]>> batches = new LinkedHashMap<>();
        /** Each written batch's values, in order. */
        final List<List<String>> written = new ArrayList<>();

        BatchingProducer(CountDownLatch open) {
            super(cluster(), false, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.open = open;
        }

        private static Cluster cluster() {
            Node node = new Node(0, "localhost", 1);
            List<PartitionInfo> ps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                ps.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
            }
            return new Cluster("c", List.of(node), ps, java.util.Set.of(), java.util.Set.of());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> r, Callback callback) {
            assertThat(r.partition())
                    .as("the partition is set by the publisher")
                    .isNotNull();
            batches.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                    .add(new Object[] {r, callback});
            return new CompletableFuture<>();
        }

        @Override
        public void flush() {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                for (List<Object[]> batch : batches.values()) {
                    boolean bad = batch.stream().anyMatch(x -> value(x).equals("bad"));
                    List<String> values = new ArrayList<>();
                    for (Object[] x : batch) {
                        Callback cb = (Callback) x[1];
                        if (!bad) {
                            values.add(value(x));
                            cb.onCompletion(null, null);
                        } else if (value(x).equals("bad")) {
                            cb.onCompletion(null, new InvalidRecordException("broker refused the record"));
                        } else {
                            cb.onCompletion(
                                    null,
                                    new KafkaException(BatchOutcome.INNOCENT_IN_REFUSED_BATCH
                                            + " which had one more more invalid records"));
                        }
                    }
                    if (!bad) {
                        written.add(values);
                    }
                }
                batches.clear();
            }
        }

        @SuppressWarnings("unchecked")
        private static String value(Object[] x) {
            return new String(((ProducerRecord<byte[], byte[]>) x[0]).value(), StandardCharsets.UTF_8);
        }

        synchronized List<String> writtenValues() {
            List<String> out = new ArrayList<>();
            written.forEach(out::addAll);
            return out;
        }
    }

    private final CountDownLatch open = new CountDownLatch(1);
    private final BatchingProducer producer = new BatchingProducer(open);
    private final TransactionalPublisherTest.Producer transactional =
            new TransactionalPublisherTest.Producer(new CountDownLatch(0));
    private TransactionalPublisher large;
    private BatchPublisher publisher;

    private BatchPublisher publisher(int maxWaiting, Duration deadline, int batchBytes) {
        large = new TransactionalPublisher(
                CONFIG, "test", 1, 8, Duration.ZERO, deadline, new SimpleMeterRegistry(), props -> transactional);
        publisher = new BatchPublisher(
                CONFIG,
                "test",
                1,
                maxWaiting,
                Duration.ZERO,
                deadline,
                large,
                batchBytes,
                new SimpleMeterRegistry(),
                props -> producer);
        return publisher;
    }

    @AfterEach
    void close() {
        open.countDown();
        if (publisher != null) {
            publisher.close();
            large.close();
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> request(String device, String... values) {
        return PublishRequests.records(TOPIC, device, values);
    }

    @Test
    void everyRequestIsOneBatchInTheDefaultPartitionersPartitionEvenWhenItsPartitionsBatchIsNearlyFull()
            throws Exception {
        open.countDown();
        // room for about three requests of four 20-byte values per batch
        BatchPublisher p = publisher(256, Duration.ofSeconds(10), 400);
        List<CompletableFuture<Throwable>> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String device = "dev-" + i % 5;
            String prefix = String.format("%-16s", device + "/" + i);
            all.add(PublishRequests.async(
                    () -> p.publish(request(device, prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-d"))));
        }
        for (CompletableFuture<Throwable> f : all) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isNull();
        }
        assertThat(producer.writtenValues()).hasSize(240).doesNotHaveDuplicates();
        for (List<String> batch : producer.written) {
            for (String v : batch) {
                String req = v.substring(0, 16);
                assertThat(batch.stream().filter(x -> x.startsWith(req)))
                        .as("all four records of %s in this batch", req)
                        .hasSize(4);
            }
        }
        assertThat(producer.written.size())
                .as("several batches: flushed before overflowing")
                .isGreaterThan(5);
        assertThat(BatchPublisher.partitionOf(producer, request("dev-3", "x").get(0)))
                .isEqualTo(BuiltInPartitioner.partitionForKey("dev-3".getBytes(StandardCharsets.UTF_8), PARTITIONS));
    }

    @Test
    void aFullQueueAnswersBusyAtOnce() throws Exception {
        BatchPublisher p = publisher(1, Duration.ofSeconds(30), 1024 * 1024);
        CompletableFuture<Throwable> first =
                PublishRequests.async(() -> p.publish(request("d", "a"))); // taken: the flush waits
        Thread.sleep(300);
        CompletableFuture<Throwable> second =
                PublishRequests.async(() -> p.publish(request("d", "b"))); // the one waiting place
        Thread.sleep(300);
        long started = System.nanoTime();
        assertThatThrownBy(() -> p.publish(request("d", "c")))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.busy()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("no wait for room, far from the 30 s deadline")
                .isLessThan(Duration.ofSeconds(5));
        open.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(second.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(producer.writtenValues()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aRequestNotSentInTimeIsWithdrawnAndNeverSentAfterItsCallerWasAnswered() throws Exception {
        BatchPublisher p = publisher(8, Duration.ofMillis(500), 1024 * 1024);
        CompletableFuture<Throwable> first = PublishRequests.async(() -> p.publish(request("d", "sent")));
        Thread.sleep(200);
        assertThatThrownBy(() -> p.publish(request("d", "late")))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.busy()).isTrue())
                .hasMessageContaining("withdrawn");
        assertThat(first.isDone()).as("a request sent waits for its outcome").isFalse();
        open.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
        Thread.sleep(300);
        assertThat(producer.writtenValues()).containsExactly("sent");
    }

    @Test
    void aRecordTooLargeForTheProducerIsRefusedBeforeItIsSent() {
        open.countDown();
        BatchPublisher p = publisher(8, Duration.ofSeconds(10), 1024 * 1024);
        String huge = "x".repeat(1024 * 1024);
        assertThatThrownBy(() -> p.publish(request("d", "fine", huge)))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.TOO_LARGE))
                .hasMessageContaining("max.request.size");
        p.publish(request("d", "next"));
        assertThat(producer.writtenValues()).containsExactly("next");
        assertThat(transactional.committedValues()).isEmpty();
    }

    @Test
    void aBatchRefusedBecauseOfOneRequestIsSentAgainRequestByRequest() throws Exception {
        BatchPublisher p = publisher(16, Duration.ofSeconds(10), 1024 * 1024);
        CompletableFuture<Throwable> holder = PublishRequests.async(() -> p.publish(request("d", "first")));
        Thread.sleep(200); // the thread waits in the first flush; the next three queue up and form one group
        List<CompletableFuture<Throwable>> group = List.of(
                PublishRequests.async(() -> p.publish(request("d", "ok-1"))),
                PublishRequests.async(() -> p.publish(request("d", "bad"))),
                PublishRequests.async(() -> p.publish(request("d", "ok-2", "ok-3"))));
        Thread.sleep(300);
        open.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(group.get(0).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(group.get(1).get(10, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.REFUSED));
        assertThat(group.get(2).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(producer.writtenValues()).containsExactlyInAnyOrder("first", "ok-1", "ok-2", "ok-3");
    }

    @Test
    void aRequestThatCannotBeOneBatchGoesThroughATransaction() {
        open.countDown();
        BatchPublisher p = publisher(8, Duration.ofSeconds(10), 200);
        p.publish(request("d", "x".repeat(150), "y".repeat(150)));
        List<ProducerRecord<byte[], byte[]>> twoDevices = new ArrayList<>(request("d1", "one"));
        twoDevices.addAll(request("d2", "two"));
        p.publish(twoDevices);
        p.publish(request("d", "small"));
        assertThat(transactional.committedValues()).containsExactly("x".repeat(150), "y".repeat(150), "one", "two");
        assertThat(producer.writtenValues()).containsExactly("small");
    }
}
