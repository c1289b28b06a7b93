package io.engage.embedded.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.storage.internals.checkpoint.CleanShutdownFileHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real KRaft Kafka node (broker and controller combined) running in this JVM.
 *
 * <p>The node's data lives in {@code dataDir}: formatted on first start, reused afterwards, so topics,
 * offsets and transactions survive a restart of the process (what {@code ./engage local} needs).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean afterUncleanStop;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean afterUncleanStop) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.afterUncleanStop = afterUncleanStop;
    }

    /**
     * Starts a node on {@code port} (0 picks a free port) keeping its data in {@code dataDir}.
     *
     * @throws PortInUseException when the port is taken
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, new Properties());
    }

    /** As {@link #start(Path, int)}, with extra broker properties (they override the defaults). */
    public static EmbeddedKafka start(Path dataDir, int port, Properties overrides) {
        int brokerPort = port == 0 ? Ports.freePort() : Ports.requireFree(port, "broker.port");
        int controllerPort = Ports.freePort();
        Path logDir = dataDir.toAbsolutePath().resolve("kafka");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create Kafka data directory " + logDir + ": " + e.getMessage(), e);
        }
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        props.putAll(overrides);
        String listeners = props.getProperty("listeners");
        if (!listeners.contains("CONTROLLER://")) {
            // overrides that add a listener (a SASL_SSL one, say) keep the node's own controller listener
            props.put("listeners", listeners + ",CONTROLLER://localhost:" + controllerPort);
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        boolean afterUncleanStop = false;
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir);
        } else if (!Files.exists(logDir.resolve(CleanShutdownFileHandler.CLEAN_SHUTDOWN_FILE_NAME))) {
            afterUncleanStop = true;
            fenceEarlierIncarnation(logDir, controllerPort, overrides);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            safeShutdown(server);
            throw new IllegalStateException("embedded Kafka failed to start in " + logDir + ": " + e.getMessage(), e);
        }
        String bootstrap = "localhost:" + brokerPort;
        LOG.info("embedded Kafka started at {} (data in {})", bootstrap, logDir);
        return new EmbeddedKafka(server, bootstrap, dataDir, afterUncleanStop);
    }

    /** Polls (200 ms apart) that must agree that no broker ever registered before the node starts without fencing. */
    private static final int NEVER_REGISTERED_POLLS = 15;

    /**
     * After an unclean stop ({@code kill -9}, power loss) the metadata log still says this node's broker is registered,
     * unfenced and the leader of every partition. A combined node starting on it publishes that image before its
     * broker registers again, so the transaction coordinator loads and starts writing the commit and abort markers of
     * transactions that were completing at the crash. The controller fences the earlier incarnation only when its
     * session times out; every partition then has no leader for a moment, and Kafka's marker sender takes a partition
     * without a leader for a deleted one and skips its marker. The partition keeps an open transaction the coordinator
     * considers complete (a hanging transaction) and {@code read_committed} consumers stop there, although the
     * transaction may have committed data a client was told is safe.
     *
     * <p>So the node first runs as a controller alone, on the same metadata log, until the controller has fenced the
     * earlier incarnation. The combined node then starts from an image in which no partition has a leader, and the
     * coordinator loads only when the broker is registered again and leads every partition at once.
     */
    private static void fenceEarlierIncarnation(Path logDir, int controllerPort, Properties overrides) {
        Properties props = brokerProperties(logDir, 0, controllerPort);
        props.putAll(overrides);
        props.put("process.roles", "controller");
        props.put("listeners", "CONTROLLER://localhost:" + controllerPort);
        props.remove("advertised.listeners");
        props.remove("inter.broker.listener.name");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        long sessionTimeoutMs = config.brokerSessionTimeoutMs();
        KafkaRaftServer controller = new KafkaRaftServer(config, Time.SYSTEM);
        long started = System.nanoTime();
        try {
            controller.startup();
            // Its session was restored when the controller became active; it is fenced once it times out.
            long deadline = started + TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMs) + TimeUnit.SECONDS.toNanos(30);
            int unregisteredPolls = 0;
            while (true) {
                long fenced = gauge("FencedBrokerCount");
                long active = gauge("ActiveBrokerCount");
                if (fenced >= 1 && active == 0) {
                    break;
                }
                // "no broker ever registered" must hold for a while: on a busy machine the gauges can read zero
                // brokers for a moment after the topics are already counted, and starting the node then would
                // let the coordinator drop the markers of transactions that were completing (docs/crash-tests.md)
                unregisteredPolls =
                        fenced == 0 && active == 0 && gauge("GlobalTopicCount") > 0 ? unregisteredPolls + 1 : 0;
                if (unregisteredPolls >= NEVER_REGISTERED_POLLS) {
                    LOG.info("after an unclean stop: broker {} was never registered; starting the node", NODE_ID);
                    return; // the image is loaded (it has topics) and no broker ever registered: nothing to fence
                }
                if (System.nanoTime() > deadline) {
                    LOG.warn(
                            "the controller had not fenced the earlier incarnation of broker {} after {} s; starting"
                                    + " the node anyway",
                            NODE_ID,
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                    return;
                }
                Thread.sleep(200);
            }
            LOG.info(
                    "after an unclean stop: the earlier incarnation of broker {} is fenced after {} ms; starting the node",
                    NODE_ID,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recovering the Kafka data directory " + logDir, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "embedded Kafka could not recover " + logDir + " after an unclean stop: " + e.getMessage(), e);
        } finally {
            safeShutdown(controller);
        }
    }

    /**
     * A gauge of the controller's metadata metrics ({@code kafka.controller:type=KafkaController,name=...}, the
     * documented monitoring metrics), read through JMX; -1 while the controller has not registered it.
     */
    private static long gauge(String name) {
        try {
            ObjectName objectName = new ObjectName("kafka.controller:type=KafkaController,name=" + name);
            Object value = ManagementFactory.getPlatformMBeanServer().getAttribute(objectName, "Value");
            return value instanceof Number n ? n.longValue() : -1;
        } catch (JMException e) {
            return -1;
        }
    }

    static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        // A single node: internal topics cannot be replicated.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    private static void format(Path logDir) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(NODE_ID)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka data directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether this start found the data directory not shut down cleanly (a {@code kill -9}, a power loss). */
    public boolean startedAfterUncleanStop() {
        return afterUncleanStop;
    }

    /** The directory this node keeps its data in. */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        safeShutdown(server);
        LOG.info("embedded Kafka at {} stopped", bootstrapServers);
    }

    private static void safeShutdown(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded Kafka shutdown: {}", e.toString());
        }
    }
}
