package io.engage.cli.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds hanging transactions (KIP-664): a partition with an open transaction whose producer the transaction
 * coordinator does not consider ongoing. Such a transaction is never completed, so the partition's last stable offset
 * stops there: {@code read_committed} consumers see nothing after it and a consumer group whose offsets it holds cannot
 * fetch them ({@code UNSTABLE_OFFSET_COMMIT}) forever. Used to name the cause when a crash test's outputs stall.
 */
final class HangingTransactions {
    private HangingTransactions() {}

    /** One line per hanging transaction (partition, producer id and epoch, start offset, coordinator state); empty if none. */
    static List<String> find(String bootstrap) {
        List<String> out = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(
                "bootstrap.servers", bootstrap, "request.timeout.ms", 10_000, "default.api.timeout.ms", 20_000))) {
            List<TopicPartition> tps = new ArrayList<>();
            var names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get(20, TimeUnit.SECONDS);
            admin.describeTopics(names)
                    .allTopicNames()
                    .get(20, TimeUnit.SECONDS)
                    .forEach((t, d) -> d.partitions().forEach(p -> tps.add(new TopicPartition(t, p.partition()))));
            Map<Long, TransactionListing> byProducer = admin.listTransactions().all().get(20, TimeUnit.SECONDS).stream()
                    .collect(Collectors.toMap(TransactionListing::producerId, l -> l, (a, b) -> a));
            admin.describeProducers(tps)
                    .all()
                    .get(20, TimeUnit.SECONDS)
                    .forEach((tp, d) -> d.activeProducers().forEach(p -> {
                        if (p.currentTransactionStartOffset().isPresent()) {
                            TransactionListing l = byProducer.get(p.producerId());
                            if (l == null || l.state() != TransactionState.ONGOING) {
                                out.add(tp + ": producer " + p.producerId() + " epoch " + p.producerEpoch()
                                        + " open since offset "
                                        + p.currentTransactionStartOffset().getAsLong() + ", coordinator: "
                                        + (l == null ? "unknown producer" : l.transactionalId() + " " + l.state()));
                            }
                        }
                    }));
        } catch (Exception e) {
            out.add("(could not look for hanging transactions: " + e + ")");
        }
        return out;
    }
}
