package io.engage.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.config.EngageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/ingest.md, "Hostile input": the publisher's promises under overload and bad records, with a mock producer: a
 * full queue answers busy at once, a batch no committer took in time is withdrawn and never committed after its caller
 * was answered, a record too large for the producer is refused before it joins a transaction, and a group that fails
 * because of one member is retried member by member.
 */
class TransactionalPublisherTest {
    private static final EngageConfig CONFIG = EngageConfig.of(Map.of("bootstrap.servers", "localhost:1"));

    /** A transactional mock producer whose initialisation waits for {@link #open}, and that refuses "bad" values. */
    static final class Producer extends MockProducer<byte[], byte[]> {
        final CountDownLatch open;
        private boolean badInTransaction;

        Producer(CountDownLatch open) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.open = open;
        }

        @Override
        public void initTransactions() {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.initTransactions();
        }

        @Override
        public void beginTransaction() {
            badInTransaction = false;
            super.beginTransaction();
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            if ("bad".equals(new String(record.value(), StandardCharsets.UTF_8))) {
                badInTransaction = true;
                return CompletableFuture.failedFuture(new InvalidRecordException("broker refused the record"));
            }
            return super.send(record);
        }

        @Override
        public void commitTransaction() {
            if (badInTransaction) {
                throw new KafkaException("Cannot commit: a send failed", new InvalidRecordException("refused"));
            }
            super.commitTransaction();
        }

        List<String> committedValues() {
            List<String> out = new ArrayList<>();
            history().forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
            return out;
        }
    }

    private final CountDownLatch open = new CountDownLatch(1);
    private final Producer producer = new Producer(open);
    private TransactionalPublisher publisher;

    private TransactionalPublisher publisher(int maxWaiting, Duration commitDeadline) {
        publisher = new TransactionalPublisher(
                CONFIG,
                "test",
                1,
                maxWaiting,
                Duration.ZERO,
                commitDeadline,
                new SimpleMeterRegistry(),
                props -> producer);
        return publisher;
    }

    @AfterEach
    void close() {
        open.countDown();
        if (publisher != null) {
            publisher.close();
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> batch(String... values) {
        return PublishRequests.records("readings.raw", "dev", values);
    }

    @Test
    void aFullQueueAnswersBusyAtOnce() throws Exception {
        TransactionalPublisher p = publisher(1, Duration.ofSeconds(30));
        CompletableFuture<Throwable> first =
                PublishRequests.async(() -> p.publish(batch("a"))); // taken: the committer waits in init
        Thread.sleep(300);
        CompletableFuture<Throwable> second =
                PublishRequests.async(() -> p.publish(batch("b"))); // fills the one waiting place
        Thread.sleep(300);
        long started = System.nanoTime();
        assertThatThrownBy(() -> p.publish(batch("c")))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.busy()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("no wait for room, far from the 30 s deadline")
                .isLessThan(Duration.ofSeconds(5));
        open.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(second.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(producer.committedValues()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aBatchNotTakenInTimeIsWithdrawnAndNeverCommittedAfterItsCallerWasAnswered() throws Exception {
        TransactionalPublisher p = publisher(8, Duration.ofMillis(500));
        CompletableFuture<Throwable> first = PublishRequests.async(() -> p.publish(batch("taken")));
        Thread.sleep(200);
        assertThatThrownBy(() -> p.publish(batch("late")))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.busy()).isTrue())
                .hasMessageContaining("withdrawn");
        assertThat(first.isDone())
                .as("a batch in a transaction waits for its outcome")
                .isFalse();
        open.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(p).isNotNull();
        Thread.sleep(300);
        assertThat(producer.committedValues()).containsExactly("taken");
    }

    @Test
    void aRecordTooLargeForTheProducerIsRefusedBeforeItJoinsATransaction() {
        open.countDown();
        TransactionalPublisher p = publisher(8, Duration.ofSeconds(10));
        String huge = "x".repeat(1024 * 1024);
        assertThatThrownBy(() -> p.publish(batch("fine", huge)))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.TOO_LARGE))
                .hasMessageContaining("max.request.size");
        p.publish(batch("next"));
        assertThat(producer.committedValues()).containsExactly("next");
    }

    @Test
    void aGroupFailedByOneMemberIsRetriedMemberByMember() throws Exception {
        TransactionalPublisher p = publisher(16, Duration.ofSeconds(10));
        CompletableFuture<Throwable> holder = PublishRequests.async(() -> p.publish(batch("first")));
        Thread.sleep(200); // the committer waits in init with "first"; the next three queue up and form one group
        List<CompletableFuture<Throwable>> group = List.of(
                PublishRequests.async(() -> p.publish(batch("ok-1"))),
                PublishRequests.async(() -> p.publish(batch("bad"))),
                PublishRequests.async(() -> p.publish(batch("ok-2", "ok-3"))));
        Thread.sleep(300);
        open.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(group.get(0).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(group.get(1).get(10, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.REFUSED));
        assertThat(group.get(2).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(producer.committedValues()).containsExactlyInAnyOrder("first", "ok-1", "ok-2", "ok-3");
    }

    @Test
    void aTimeoutIsKafkasFaultNotARecordsSoTheGroupIsNotSplit() {
        assertThat(TransactionalPublisher.kindOf(
                        new KafkaException("x", new org.apache.kafka.common.errors.TimeoutException("slow"))))
                .isEqualTo(PublishException.Kind.FAILED);
        assertThat(TransactionalPublisher.kindOf(new KafkaException("x", new InvalidRecordException("bad"))))
                .isEqualTo(PublishException.Kind.REFUSED);
    }
}
