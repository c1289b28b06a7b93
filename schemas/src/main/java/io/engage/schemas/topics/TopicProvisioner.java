package io.engage.schemas.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the catalogue's topics that do not exist yet; existing topics are left as they are. */
public final class TopicProvisioner {
    private final Admin admin;
    private final TopicCatalogue catalogue;

    public TopicProvisioner(Admin admin, TopicCatalogue catalogue) {
        this.admin = admin;
        this.catalogue = catalogue;
    }

    /** What provisioning did. */
    public record Result(List<String> created, List<String> existing) {}

    /**
     * Waits until every partition of the new topics answers at its leader. Creating a topic only writes metadata: a
     * broker may list itself as a partition's leader a moment before it can take appends for it, and an idempotent
     * producer whose first batch to a partition is refused then while a later batch is taken can stay stuck on
     * OUT_OF_ORDER_SEQUENCE_NUMBER until the batch expires (seen once in the simulator's integration test). A
     * ListOffsets request is served by the leader's replica itself, so all of them answering means the partitions are
     * ready.
     */
    private void awaitLeaders(List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        // a broker busy with other work may not know a new partition yet (UNKNOWN_TOPIC_OR_PARTITION, retriable):
        // ask again until every partition answers
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics)
                        .allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
                        .forEach((name, d) -> d.partitions()
                                .forEach(p ->
                                        partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** What is left until {@code deadline} (System.nanoTime()), at least a millisecond: every attempt shares one limit. */
    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Creates missing topics with replication min(3, brokers), and returns once their partitions take requests. */
    public Result createMissing() {
        try {
            int brokers =
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            short rf = (short) Math.max(1, Math.min(3, brokers));
            Set<String> present = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            List<NewTopic> toCreate = new ArrayList<>();
            for (TopicSpec<?, ?> spec : Topics.all()) {
                String name = catalogue.name(spec);
                if (present.contains(name)) {
                    existing.add(name);
                } else {
                    toCreate.add(catalogue.newTopic(spec, rf));
                }
            }
            if (!toCreate.isEmpty()) {
                var results = admin.createTopics(toCreate).values();
                for (var e : results.entrySet()) {
                    try {
                        e.getValue().get(60, TimeUnit.SECONDS);
                        created.add(e.getKey());
                    } catch (ExecutionException ex) {
                        if (ex.getCause() instanceof TopicExistsException) {
                            existing.add(e.getKey()); // created concurrently by another instance
                        } else {
                            throw new IllegalStateException(
                                    "cannot create topic " + e.getKey() + ": "
                                            + ex.getCause().getMessage(),
                                    ex);
                        }
                    }
                }
            }
            awaitLeaders(created);
            return new Result(List.copyOf(created), List.copyOf(existing));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }
}
