package io.engage.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts hanging transactions (KIP-664) on the local stack's embedded broker before any application starts: a
 * partition holding an open transaction that the transaction coordinator does not consider ongoing for that partition
 * and producer epoch. Nothing would ever complete it, so the partition's last stable offset would stay there for
 * good: {@code read_committed} consumers would see nothing after it, and a consumer group whose offsets it holds could
 * not fetch them ({@code UNSTABLE_OFFSET_COMMIT}). A {@code kill -9} of the single-node local stack (broker included)
 * can leave one behind.
 *
 * <p>Aborting is what {@code kafka-transactions.sh find-hanging} / {@code abort} would do by hand, and it is safe here:
 * no producer of the stack runs yet, the transaction's records become aborted (invisible to {@code read_committed}),
 * and a Kafka Streams application's offsets committed in the same transaction are aborted with them, so it reprocesses
 * that input. Against a real cluster the operators run those tools; engage never aborts transactions there.
 */
final class HangingTransactionRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionRecovery.class);
    private static final Set<TransactionState> IN_PROGRESS = EnumSet.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    /** A hanging transaction on one partition. */
    record Hanging(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, long startOffset,
                   String coordinatorView) {
        @Override
        public String toString() {
            return partition + ": producer " + producerId + " epoch " + producerEpoch + " open since offset " + startOffset
                    + " (coordinator: " + coordinatorView + ")";
        }
    }

    private HangingTransactionRecovery() {
    }

    /** Finds the hanging transactions on every partition the cluster has (internal topics included). */
    static List<Hanging> find(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> tps = new ArrayList<>();
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((t, d) ->
                d.partitions().forEach(p -> tps.add(new TopicPartition(t, p.partition()))));
        Map<Long, TransactionListing> byProducer = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(TransactionListing::producerId, l -> l, (a, b) -> a));
        List<Hanging> hanging = new ArrayList<>();
        Map<TopicPartition, org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState> producers =
                admin.describeProducers(tps).all().get(30, TimeUnit.SECONDS);
        for (var e : producers.entrySet()) {
            for (ProducerState p : e.getValue().activeProducers()) {
                if (p.currentTransactionStartOffset().isEmpty()) {
                    continue;
                }
                TransactionListing l = byProducer.get(p.producerId());
                String view;
                if (l == null) {
                    view = "unknown producer";
                } else if (!IN_PROGRESS.contains(l.state())) {
                    view = l.transactionalId() + " " + l.state();
                } else {
                    TransactionDescription d = admin.describeTransactions(List.of(l.transactionalId()))
                            .description(l.transactionalId()).get(30, TimeUnit.SECONDS);
                    if (d.producerEpoch() == p.producerEpoch() && d.topicPartitions().contains(e.getKey())) {
                        continue; // the coordinator will complete it (or abort it on timeout)
                    }
                    view = l.transactionalId() + " " + l.state() + " epoch " + d.producerEpoch() + " without this partition";
                }
                hanging.add(new Hanging(e.getKey(), p.producerId(), (short) p.producerEpoch(),
                        p.coordinatorEpoch().orElse(-1), p.currentTransactionStartOffset().getAsLong(), view));
            }
        }
        return hanging;
    }

    /** Finds and aborts hanging transactions; returns what was aborted. Failures are logged, never thrown. */
    static List<Hanging> abortAll(Admin admin) {
        List<Hanging> aborted = new ArrayList<>();
        try {
            for (Hanging h : find(admin)) {
                LOG.warn("aborting a hanging transaction left by an earlier crash: {}", h);
                admin.abortTransaction(new AbortTransactionSpec(h.partition(), h.producerId(), h.producerEpoch(),
                        h.coordinatorEpoch())).all().get(30, TimeUnit.SECONDS);
                aborted.add(h);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("could not look for or abort hanging transactions: {}", e.toString());
        }
        return aborted;
    }
}
