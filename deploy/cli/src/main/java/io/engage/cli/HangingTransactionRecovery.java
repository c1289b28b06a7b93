package io.engage.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A safety net for hanging transactions (KIP-664) on the local stack's embedded broker, run before any application
 * starts when the broker was not shut down cleanly (only a crash can leave one): a partition holding an open transaction that the transaction coordinator does not consider ongoing for that
 * partition and producer epoch. Nothing would ever complete it, so the partition's last stable offset would stay there
 * for good: {@code read_committed} consumers would see nothing after it, and a consumer group whose offsets it holds
 * could not fetch them ({@code UNSTABLE_OFFSET_COMMIT}). The known cause, markers dropped while a restarted single node
 * had no partition leaders after a {@code kill -9}, is prevented by {@code EmbeddedKafka} (docs/crash-tests.md).
 *
 * <p>Only the provably recoverable case is aborted (as {@code kafka-transactions.sh abort} would): the candidate is
 * still open up to {@link #CONFIRMATION_DELAY} after start (by then a loaded coordinator has completed what it knows),
 * the coordinator lists its producer as done ({@code EMPTY} or {@code COMPLETE_*}), and the transactional id belongs
 * to one of the stack's Kafka Streams applications. Such an application commits its input offsets in the same
 * transaction, so aborting it, even if it had committed, only makes the application process that input again. Any
 * other candidate, a gateway transaction above all, is never aborted: it may have committed batches that were
 * answered 202 (aborting such transactions lost readings in the crash test). It is logged at ERROR instead. Against a
 * real cluster engage never aborts transactions; operators use Kafka's tools.
 */
final class HangingTransactionRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionRecovery.class);
    private static final Set<TransactionState> IN_PROGRESS = EnumSet.of(
            TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT,
            TransactionState.PREPARE_EPOCH_FENCE);

    /** A hanging transaction on one partition. */
    record Hanging(
            TopicPartition partition,
            long producerId,
            short producerEpoch,
            int coordinatorEpoch,
            long startOffset,
            String coordinatorView,
            String transactionalId,
            boolean coordinatorDone) {
        @Override
        public String toString() {
            return partition + ": producer " + producerId + " epoch " + producerEpoch + " open since offset "
                    + startOffset + " (coordinator: " + coordinatorView + ")";
        }
    }

    private HangingTransactionRecovery() {}

    /** Finds the hanging transactions on every partition the cluster has (internal topics included). */
    static List<Hanging> find(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> tps = new ArrayList<>();
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                .names()
                .get(30, TimeUnit.SECONDS);
        admin.describeTopics(names)
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .forEach((t, d) -> d.partitions().forEach(p -> tps.add(new TopicPartition(t, p.partition()))));
        Map<Long, TransactionListing> byProducer = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(TransactionListing::producerId, l -> l, (a, b) -> a));
        List<Hanging> hanging = new ArrayList<>();
        Map<TopicPartition, PartitionProducerState> producers =
                admin.describeProducers(tps).all().get(30, TimeUnit.SECONDS);
        for (var e : producers.entrySet()) {
            for (ProducerState p : e.getValue().activeProducers()) {
                if (p.currentTransactionStartOffset().isEmpty()) {
                    continue;
                }
                TransactionListing l = byProducer.get(p.producerId());
                String view;
                boolean done = false;
                if (l == null) {
                    view = "unknown producer";
                } else if (!IN_PROGRESS.contains(l.state())) {
                    view = l.transactionalId() + " " + l.state();
                    done = true;
                } else {
                    TransactionDescription d = admin.describeTransactions(List.of(l.transactionalId()))
                            .description(l.transactionalId())
                            .get(30, TimeUnit.SECONDS);
                    if (d.producerEpoch() == p.producerEpoch()
                            && d.topicPartitions().contains(e.getKey())) {
                        continue; // the coordinator will complete it (or abort it on timeout)
                    }
                    view = l.transactionalId() + " " + l.state() + " epoch " + d.producerEpoch()
                            + " without this partition";
                }
                hanging.add(new Hanging(
                        e.getKey(),
                        p.producerId(),
                        (short) p.producerEpoch(),
                        p.coordinatorEpoch().orElse(-1),
                        p.currentTransactionStartOffset().getAsLong(),
                        view,
                        l == null ? null : l.transactionalId(),
                        done));
            }
        }
        return hanging;
    }

    /**
     * How long a candidate must stay open, unknown to the coordinator, before it counts as hanging. Right after the
     * broker starts, the transaction coordinator may not have loaded {@code __transaction_state} yet: a transaction
     * committed just before a crash (its markers not yet written) then looks unknown, and the loaded coordinator
     * completes it within moments. Aborting it would lose committed data, so a candidate is aborted only if it is
     * still open, unchanged and unknown after this confirmation delay.
     */
    static final Duration CONFIRMATION_DELAY = Duration.ofSeconds(20);

    /** Finds and aborts hanging transactions; returns what was aborted. Failures are logged, never thrown. */
    static List<Hanging> abortAll(Admin admin, Predicate<String> reprocessingApplication) {
        return abortAll(admin, reprocessingApplication, CONFIRMATION_DELAY);
    }

    /**
     * @param reprocessingApplication whether a transactional id belongs to a Kafka Streams application whose input
     *                                offsets are committed in the same transactions: aborting such a transaction, even
     *                                one that had committed, only makes the application process that input again
     */
    static List<Hanging> abortAll(Admin admin, Predicate<String> reprocessingApplication, Duration confirmationDelay) {
        List<Hanging> aborted = new ArrayList<>();
        try {
            if (!coordinatorReady(admin)) {
                return aborted;
            }
            List<Hanging> candidates = find(admin);
            if (candidates.isEmpty()) {
                return aborted;
            }
            LOG.info(
                    "{} open transaction(s) the coordinator does not run yet; watching them for up to {} s: {}",
                    candidates.size(),
                    confirmationDelay.toSeconds(),
                    candidates);
            // the coordinator may still be loading: poll, and stop early once it has completed or claimed them all
            long deadline = System.nanoTime() + confirmationDelay.toNanos();
            List<Hanging> again = candidates;
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.min(1000, Math.max(1, confirmationDelay.toMillis())));
                again = find(admin);
                if (again.stream().noneMatch(a -> candidates.stream().anyMatch(h -> same(a, h)))) {
                    break;
                }
            }
            List<Hanging> remaining = again;
            for (Hanging h : candidates) {
                boolean stillHanging = remaining.stream().anyMatch(a -> same(a, h));
                if (!stillHanging) {
                    LOG.info("the coordinator completed {}", h);
                    continue;
                }
                if (!h.coordinatorDone()
                        || h.transactionalId() == null
                        || !reprocessingApplication.test(h.transactionalId())) {
                    // its outcome is unknown: aborting could drop records a client was told are committed (a gateway
                    // batch answered 202), so it is left for an operator
                    LOG.error(
                            "an open transaction the coordinator does not complete, left alone because aborting it could"
                                    + " lose committed records: {}. read_committed consumers of {} stop at offset {} until it is"
                                    + " resolved (see docs/crash-tests.md)",
                            h,
                            h.partition(),
                            h.startOffset());
                    continue;
                }
                LOG.warn("aborting a hanging transaction left by an earlier crash: {}", h);
                admin.abortTransaction(new AbortTransactionSpec(
                                h.partition(), h.producerId(), h.producerEpoch(), h.coordinatorEpoch()))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                aborted.add(h);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("could not look for or abort hanging transactions: {}", e.toString());
        }
        return aborted;
    }

    private static boolean same(Hanging a, Hanging b) {
        return a.partition().equals(b.partition())
                && a.producerId() == b.producerId()
                && a.producerEpoch() == b.producerEpoch()
                && a.startOffset() == b.startOffset();
    }

    /**
     * Whether the transaction coordinator can answer: {@code __transaction_state} exists and every partition has a
     * leader (waits up to a minute). Without the topic no transaction was ever begun, so nothing can hang.
     */
    private static boolean coordinatorReady(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get(30, TimeUnit.SECONDS);
            if (!names.contains("__transaction_state")) {
                return false;
            }
            boolean led = admin
                    .describeTopics(List.of("__transaction_state"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("__transaction_state")
                    .partitions()
                    .stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            if (led) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("the transaction coordinator has no leader for __transaction_state after a minute; not looking"
                        + " for hanging transactions");
                return false;
            }
            Thread.sleep(250);
        }
    }
}
