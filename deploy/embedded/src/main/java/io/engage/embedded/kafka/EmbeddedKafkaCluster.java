package io.engage.embedded.kafka;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import kafka.server.BrokerServer;

/**
 * A KRaft cluster of N combined broker+controller nodes in this JVM, in temporary directories, for tests.
 * Brokers can be stopped and started again to inject failures.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private final KafkaClusterTestKit kit;

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Starts {@code brokers} nodes; replication factors of internal topics follow the cluster size (max 3). */
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
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(brokers)
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

    /** Stops one broker (its controller keeps running); its data stays for {@link #startBroker(int)}. */
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
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka cluster failed to stop: " + e.getMessage(), e);
        }
    }
}
