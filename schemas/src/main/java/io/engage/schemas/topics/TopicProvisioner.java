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

    /**
     * Sizes for production clusters: {@code partitions} for every catalogue topic that has more than one partition
     * (single-partition topics such as the registry's {@code _schemas} keep one), {@code replicationFactor} for every
     * topic; empty means the catalogue's partitions and {@code min(3, brokers)} replicas.
     */
    public record Sizing(java.util.OptionalInt partitions, java.util.OptionalInt replicationFactor) {
        public static final Sizing DEFAULT = new Sizing(java.util.OptionalInt.empty(), java.util.OptionalInt.empty());

        public Sizing {
            if (partitions.isPresent() && partitions.getAsInt() < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, not " + partitions.getAsInt());
            }
            if (replicationFactor.isPresent() && replicationFactor.getAsInt() < 1) {
                throw new IllegalArgumentException(
                        "the replication factor must be at least 1, not " + replicationFactor.getAsInt());
            }
        }

        int partitionsOf(TopicSpec<?, ?> spec) {
            return partitionsGiven(spec) ? partitions.getAsInt() : spec.partitions();
        }

        /** Whether {@code partitions} sizes this topic: it was given, and the topic has more than one partition. */
        boolean partitionsGiven(TopicSpec<?, ?> spec) {
            return spec.partitions() > 1 && partitions.isPresent();
        }
    }

    /** What the cluster has of one topic: partitions, replicas of its first partition, the configs engage sets. */
    public record Live(int partitions, int replicationFactor, Map<String, String> configs) {}

    /**
     * One catalogue topic in a plan: what engage wants, what the cluster has ({@code live} null: absent), and the
     * differences of an existing topic ({@link #differences}: empty when it is as wanted). {@code partitionsGiven}:
     * the partitions were asked for ({@code --partitions}), not the catalogue's default.
     */
    public record Planned(
            String name,
            int partitions,
            boolean partitionsGiven,
            int replicationFactor,
            Map<String, String> configs,
            Live live) {
        public boolean exists() {
            return live != null;
        }

        /**
         * Human-readable differences, live against wanted ("partitions 6 live, 12 wanted", ...); a topic kept with
         * more partitions than the default ({@link #keepsMorePartitions}) reads "keeps 12 partitions (more than the
         * default 6; not shrunk)".
         */
        public List<String> differences() {
            List<String> d = new ArrayList<>();
            if (live == null) {
                return d;
            }
            if (keepsMorePartitions()) {
                d.add("keeps " + live.partitions() + " partitions (more than the default " + partitions
                        + "; not shrunk)");
            } else if (live.partitions() != partitions) {
                d.add("partitions " + live.partitions() + " live, " + partitions + " wanted");
            }
            if (live.replicationFactor() != replicationFactor) {
                d.add("replication factor " + live.replicationFactor() + " live, " + replicationFactor + " wanted");
            }
            configs.forEach((k, v) -> {
                String has = live.configs().get(k);
                if (!v.equals(has)) {
                    d.add(k + " " + (has == null ? "unset" : has) + " live, " + v + " wanted");
                }
            });
            return d;
        }

        /**
         * Whether partitions that were asked for are fewer than the live ones (Kafka cannot shrink a topic), or a
         * single-partition topic has more (its order is the point: the registry's {@code _schemas} refuses to start on
         * more than one): such a plan is refused.
         */
        public boolean shrinks() {
            return live != null && (partitionsGiven || partitions == 1) && partitions < live.partitions();
        }

        /**
         * Whether the live topic has more partitions than the catalogue's default and none were asked for: an operator
         * grew it, and it is kept as it is (a redeploy must not fail on it).
         */
        public boolean keepsMorePartitions() {
            return live != null && !partitionsGiven && partitions > 1 && partitions < live.partitions();
        }
    }

    /** The plan for the whole catalogue on this cluster. */
    public record Plan(int brokers, List<Planned> topics) {
        public List<Planned> toCreate() {
            return topics.stream().filter(t -> !t.exists()).toList();
        }

        /** Existing topics that would have to shrink (never done: a plan with any cannot be applied). */
        public List<Planned> shrinking() {
            return topics.stream().filter(Planned::shrinks).toList();
        }
    }

    /**
     * What {@link #apply} would do and how the existing topics differ from the catalogue, read from the cluster
     * without changing it. A replication factor above the number of brokers is refused here.
     */
    public Plan plan(Sizing sizing) {
        return plan(sizing, true);
    }

    /** As above; without {@code describeExisting} the existing topics are only listed ({@code live} has no configs). */
    private Plan plan(Sizing sizing, boolean describeExisting) {
        try {
            int brokers =
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            int rf = sizing.replicationFactor().orElse(Math.max(1, Math.min(3, brokers)));
            if (rf > brokers) {
                throw new IllegalArgumentException(
                        "replication factor " + rf + " needs at least " + rf + " brokers; the cluster has " + brokers);
            }
            Set<String> present = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> existing = new ArrayList<>();
            for (TopicSpec<?, ?> spec : Topics.all()) {
                if (present.contains(catalogue.name(spec))) {
                    existing.add(catalogue.name(spec));
                }
            }
            Map<String, Live> live = describeExisting ? live(existing) : listed(existing);
            List<Planned> topics = new ArrayList<>();
            for (TopicSpec<?, ?> spec : Topics.all()) {
                String name = catalogue.name(spec);
                NewTopic wanted = catalogue.newTopic(spec, (short) rf);
                topics.add(new Planned(
                        name,
                        sizing.partitionsOf(spec),
                        sizing.partitionsGiven(spec),
                        rf,
                        wanted.configs(),
                        live.get(name)));
            }
            return new Plan(brokers, List.copyOf(topics));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the cluster's topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the cluster's topics: " + e.getMessage(), e);
        }
    }

    /** Existing topics as present, without asking for their details (createMissing needs no more). */
    private static Map<String, Live> listed(List<String> names) {
        Map<String, Live> live = new HashMap<>();
        names.forEach(n -> live.put(n, new Live(0, 0, Map.of())));
        return live;
    }

    private Map<String, Live> live(List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Live> live = new HashMap<>();
        if (names.isEmpty()) {
            return live;
        }
        var descriptions = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        List<org.apache.kafka.common.config.ConfigResource> resources = names.stream()
                .map(n -> new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, n))
                .toList();
        var configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        for (String name : names) {
            var d = descriptions.get(name);
            Map<String, String> c = new HashMap<>();
            configs.get(new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, name))
                    .entries()
                    .forEach(e -> c.put(e.name(), e.value()));
            live.put(
                    name,
                    new Live(
                            d.partitions().size(),
                            d.partitions().get(0).replicas().size(),
                            Map.copyOf(c)));
        }
        return live;
    }

    /**
     * Creates the plan's missing topics and returns once their partitions take requests; existing topics are left as
     * they are (their differences are the caller's to report). A plan that would shrink a topic is refused.
     */
    public Result apply(Plan plan) {
        if (!plan.shrinking().isEmpty()) {
            throw new IllegalArgumentException("refusing to shrink "
                    + plan.shrinking().stream()
                            .map(t -> t.name() + " (" + t.live().partitions() + " partitions live, " + t.partitions()
                                    + " wanted)")
                            .toList()
                    + ": Kafka cannot remove partitions");
        }
        try {
            List<String> created = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            List<NewTopic> toCreate = new ArrayList<>();
            for (Planned t : plan.topics()) {
                if (t.exists()) {
                    existing.add(t.name());
                } else {
                    toCreate.add(
                            new NewTopic(t.name(), t.partitions(), (short) t.replicationFactor()).configs(t.configs()));
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

    /** Creates missing topics with the catalogue's partitions and replication min(3, brokers) ({@link #apply}). */
    public Result createMissing() {
        return apply(plan(Sizing.DEFAULT, false));
    }
}
