package io.engage.embedded.kafka;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A KRaft cluster of N brokers and one controller in this JVM, in temporary directories, for tests.
 * Brokers can be stopped and started again to inject failures (brokers and controllers are separate
 * nodes, because a combined node's broker cannot be restarted on its own).
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(60);
    private final KafkaClusterTestKit kit;

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Starts {@code brokers} brokers; replication factors of internal topics follow the cluster size (max 3). */
    public static EmbeddedKafkaCluster start(int brokers) {
        return start(brokers, Map.of());
    }

    /** As {@link #start(int)}, with extra broker properties. */
    public static EmbeddedKafkaCluster start(int brokers, Map<String, String> overrides) {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
        }
        String rf = String.valueOf(Math.min(brokers, 3));
        String minIsr = String.valueOf(Math.max(1, Math.min(brokers, 3) - 1));
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", rf)
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", rf)
                    .setConfigProp("transaction.state.log.min.isr", minIsr)
                    .setConfigProp("transaction.state.log.num.partitions", "5")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", rf)
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false");
            overrides.forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new EmbeddedKafkaCluster(kit);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka cluster failed to start: " + e.getMessage(), e);
        }
    }

    /** The {@code bootstrap.servers} value for clients (all brokers). */
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** Ids of the brokers, running or not. */
    public Set<Integer> brokerIds() {
        return new TreeSet<>(kit.brokers().keySet());
    }

    /** Stops one broker; its data stays for {@link #startBroker(int)}. */
    public void stopBroker(int id) {
        BrokerServer broker = broker(id);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts a broker stopped by {@link #stopBroker(int)}. */
    public void startBroker(int id) {
        broker(id).startup();
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = kit.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id + "; brokers are " + brokerIds());
        }
        return broker;
    }

    @Override
    public void close() {
        // Never hang a test run on shutdown: give the cluster a bounded time, then leave it to the JVM's exit.
        Thread closer = new Thread(
                () -> {
                    try {
                        kit.close();
                    } catch (Exception e) {
                        LOG.warn("embedded Kafka cluster did not stop cleanly: {}", e.toString());
                    }
                },
                "embedded-kafka-cluster-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn("embedded Kafka cluster still stopping after {}; continuing", CLOSE_TIMEOUT);
        }
    }
}
