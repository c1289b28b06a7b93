package io.engage.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's storage: a compacted, single-partition Kafka topic in Confluent's {@code _schemas} format.
 *
 * <p>A reader thread consumes the topic from the beginning for the whole life of the store and applies every
 * record to the {@link RegistryState}. Writes go through an idempotent producer ({@code acks=all}) and return
 * only once the reader thread has applied the record, so the in-memory state is always what the topic says.
 *
 * <p>Record format (JSON, as Confluent Schema Registry writes it):
 * <ul>
 * <li>{@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} &rarr;
 * {@code {"subject":s,"version":v,"id":n,"schema":"...","deleted":false}}, a tombstone for a permanent delete;</li>
 * <li>{@code {"keytype":"CONFIG","subject":null|s,"magic":0}} &rarr; {@code {"compatibilityLevel":"FULL"}},
 * a tombstone when the level is removed;</li>
 * <li>Confluent's {@code DELETE_SUBJECT} records are understood when reading; {@code NOOP}, {@code MODE} and
 * other key types are skipped.</li>
 * </ul>
 */
final class KafkaSchemaStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Object> clientOverrides;
    private final RegistryState state;

    private final Object offsetMonitor = new Object();
    private long nextOffset; // guarded by offsetMonitor: every record below it has been applied
    private volatile RuntimeException readerFailure;
    private volatile boolean running;

    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Thread reader;

    KafkaSchemaStore(String bootstrapServers, String topic, Map<String, Object> clientOverrides, RegistryState state) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.clientOverrides = Map.copyOf(clientOverrides);
        this.state = state;
    }

    /** Creates the topic if needed, reads it to its end offset, then starts the reader thread. */
    void start() {
        ensureTopic();
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        long end = consumer.endOffsets(List.of(partition), STARTUP_TIMEOUT).getOrDefault(partition, 0L);
        long position = consumer.position(partition, STARTUP_TIMEOUT);
        int applied = 0;
        while (position < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "timed out reading schema registry topic '" + topic + "' at offset " + position + " of " + end);
            }
            applied += apply(consumer.poll(Duration.ofMillis(200)));
            position = consumer.position(partition, STARTUP_TIMEOUT);
        }
        synchronized (offsetMonitor) {
            nextOffset = position;
        }
        LOG.info("schema registry read {} records from topic '{}' (end offset {})", applied, topic, end);
        running = true;
        reader = new Thread(this::readLoop, "schema-registry-reader-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    private void ensureTopic() {
        Map<String, Object> config = new HashMap<>(clientOverrides);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "schema-registry-admin");
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            Optional<TopicDescription> existing = describe(admin);
            if (existing.isEmpty()) {
                int brokers = get(admin.describeCluster().nodes()).size();
                short replication = (short) Math.max(1, Math.min(3, brokers));
                NewTopic newTopic = new NewTopic(topic, 1, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                try {
                    get(admin.createTopics(List.of(newTopic)).all());
                    LOG.info(
                            "created schema registry topic '{}' (1 partition, replication {}, compacted)",
                            topic,
                            replication);
                } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                return;
            }
            int partitions = existing.get().partitions().size();
            if (partitions != 1) {
                throw new IllegalStateException("schema registry topic '" + topic + "' has " + partitions
                        + " partitions; it must have exactly 1");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config topicConfig =
                    get(admin.describeConfigs(List.of(resource)).all()).get(resource);
            ConfigEntry policy = topicConfig == null ? null : topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.warn(
                        "schema registry topic '{}' has cleanup.policy={}; it should be compact",
                        topic,
                        policy == null ? "?" : policy.value());
            }
        }
    }

    private Optional<TopicDescription> describe(Admin admin) {
        try {
            Map<String, TopicDescription> found =
                    admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            return Optional.ofNullable(found.get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException(
                    "cannot describe schema registry topic '" + topic + "' on " + bootstrapServers + ": "
                            + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>(clientOverrides);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader-" + topic);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return c;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>(clientOverrides);
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-writer-" + topic);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        c.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        c.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000);
        c.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        return c;
    }

    private void readLoop() {
        try {
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                apply(records);
                long position = consumer.position(partition);
                synchronized (offsetMonitor) {
                    nextOffset = position;
                    offsetMonitor.notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(new IllegalStateException("schema registry reader woken up unexpectedly", e));
            }
        } catch (RuntimeException e) {
            LOG.error("schema registry reader for topic '{}' failed; writes will fail: {}", topic, e.toString());
            fail(e);
        }
    }

    private void fail(RuntimeException e) {
        readerFailure = e;
        synchronized (offsetMonitor) {
            offsetMonitor.notifyAll();
        }
    }

    private int apply(ConsumerRecords<String, String> records) {
        int n = 0;
        for (ConsumerRecord<String, String> r : records) {
            try {
                apply(r.key(), r.value());
                n++;
            } catch (RuntimeException e) {
                LOG.warn("skipping unreadable record at offset {} of '{}': {}", r.offset(), topic, e.toString());
            }
        }
        return n;
    }

    private void apply(String keyJson, String valueJson) {
        if (keyJson == null) {
            return;
        }
        JsonNode key = readTree(keyJson);
        String keyType = key.path("keytype").asText("");
        JsonNode value = valueJson == null ? null : readTree(valueJson);
        switch (keyType) {
            case "SCHEMA" -> {
                String subject = key.path("subject").asText();
                int version = key.path("version").asInt();
                if (value == null || value.isNull()) {
                    state.removeSchema(subject, version);
                } else {
                    String type = value.path("schemaType").asText("AVRO");
                    if (!"AVRO".equalsIgnoreCase(type)) {
                        // not served, but its id stays taken
                        state.reserveId(value.path("id").asInt());
                        LOG.warn(
                                "ignoring {} schema {} version {} in '{}': only Avro is served",
                                type,
                                subject,
                                version,
                                topic);
                        return;
                    }
                    state.putSchema(StoredSchema.of(
                            subject,
                            version,
                            value.path("id").asInt(),
                            value.path("schema").asText(),
                            value.path("deleted").asBoolean(false)));
                }
            }
            case "CONFIG" -> {
                JsonNode subjectNode = key.path("subject");
                String subject = subjectNode.isMissingNode() || subjectNode.isNull() ? null : subjectNode.asText();
                CompatibilityLevel level = null;
                if (value != null && !value.isNull()) {
                    String name = value.path("compatibilityLevel").asText(null);
                    if (name == null) {
                        name = value.path("compatibility").asText(null);
                    }
                    level = CompatibilityLevel.parse(name).orElse(null);
                    if (level == null) {
                        return;
                    }
                }
                state.setLevel(subject, level);
            }
            case "DELETE_SUBJECT" -> {
                if (value != null && !value.isNull()) {
                    state.softDeleteSubject(
                            key.path("subject").asText(), value.path("version").asInt());
                }
            }
            default -> {
                // NOOP, MODE, CLEAR_SUBJECT, CONTEXT, ...: nothing this registry keeps
            }
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    // ---- writes ----

    void putSchema(String subject, int version, int id, String schema, boolean deleted) {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", subject);
        value.put("version", version);
        value.put("id", id);
        value.put("schema", schema);
        value.put("deleted", deleted);
        write(schemaKey(subject, version), value.toString());
    }

    void deleteSchemaPermanently(String subject, int version) {
        write(schemaKey(subject, version), null);
    }

    /** Sets the level of {@code subject} (the global one when null); a null level removes it. */
    void putLevel(String subject, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        key.put("magic", 0);
        String value = null;
        if (level != null) {
            ObjectNode v = JSON.createObjectNode();
            v.put("compatibilityLevel", level.name());
            value = v.toString();
        }
        write(key.toString(), value);
    }

    private static String schemaKey(String subject, int version) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "SCHEMA");
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        return key.toString();
    }

    /** Produces one record and waits until the reader thread has applied it. */
    private void write(String key, String value) {
        RuntimeException failure = readerFailure;
        if (failure != null || !running) {
            throw RegistryException.store("the schema registry store is not running", failure);
        }
        long offset;
        try {
            RecordMetadata md = producer.send(new ProducerRecord<>(topic, 0, key, value))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            offset = md.offset();
        } catch (ExecutionException e) {
            throw RegistryException.store(
                    "Error while writing to the schemas topic '" + topic + "': "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw RegistryException.timeout("Timed out writing to the schemas topic '" + topic + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.store("interrupted while writing to the schemas topic", e);
        } catch (RuntimeException e) {
            throw RegistryException.store(
                    "Error while writing to the schemas topic '" + topic + "': " + e.getMessage(), e);
        }
        awaitApplied(offset);
    }

    private void awaitApplied(long offset) {
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        synchronized (offsetMonitor) {
            while (nextOffset <= offset) {
                RuntimeException failure = readerFailure;
                if (failure != null) {
                    throw RegistryException.store(
                            "the schema registry reader failed: " + failure.getMessage(), failure);
                }
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    throw RegistryException.timeout("Write to the schemas topic '" + topic + "' at offset " + offset
                            + " was not read back within " + WRITE_TIMEOUT.toSeconds() + " s");
                }
                try {
                    offsetMonitor.wait(remainingMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw RegistryException.store("interrupted while waiting for the schemas topic", e);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(producer);
        if (reader == null || !reader.isAlive()) {
            closeQuietly(consumer);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            if (c instanceof KafkaProducer<?, ?> p) {
                p.close(Duration.ofSeconds(5));
            } else if (c instanceof KafkaConsumer<?, ?> k) {
                k.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            } else {
                c.close();
            }
        } catch (Exception e) {
            LOG.debug("closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    /** For tests and diagnostics. */
    String topic() {
        return topic;
    }
}
