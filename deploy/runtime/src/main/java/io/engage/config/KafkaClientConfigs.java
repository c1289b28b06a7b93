package io.engage.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings with engage's defaults: producers are idempotent with {@code acks=all}; consumers read
 * {@code read_committed}. {@code kafka.*} pass-through settings (security, tuning) are applied on top.
 */
public final class KafkaClientConfigs {
    private KafkaClientConfigs() {}

    private static Map<String, Object> base(EngageConfig config) {
        Map<String, Object> m = new HashMap<>();
        m.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers()
                        .orElseThrow(() -> new ConfigException(EngageConfig.BOOTSTRAP_SERVERS + " is required")));
        m.putAll(config.kafkaPassThrough());
        return m;
    }

    /** Admin client settings. */
    public static Map<String, Object> admin(EngageConfig config) {
        return base(config);
    }

    /**
     * The producers' {@code compression.type}: Snappy. Kafka's LZ4 stream allocates two 64 KiB buffers for every
     * batch it opens (a fifth of all allocation in a bench run, and the young collections' pauses with it); Snappy's
     * stream reuses its buffers, compresses engage's records about as well and in about half the time
     * (docs/benchmarks.md, "Decoded state on the heap").
     */
    public static final String COMPRESSION = "snappy";

    /** Producer settings: acks=all, idempotence on. Pass-through settings cannot weaken them. */
    public static Map<String, Object> producer(EngageConfig config, String clientId) {
        Map<String, Object> m = base(config);
        m.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        m.put(ProducerConfig.ACKS_CONFIG, "all");
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        m.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        m.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        return m;
    }

    /** Consumer settings: read_committed, no auto-commit. */
    public static Map<String, Object> consumer(EngageConfig config, String groupId) {
        Map<String, Object> m = base(config);
        if (groupId != null) {
            m.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // engage's consumers read topics that `topics create` or Kafka Streams made, with their settings; asking for
        // one that is missing (an export of a topic this cluster lacks, a changelog not created yet) must not create it
        // with the broker's defaults where the broker allows auto-creation
        m.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        m.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return m;
    }
}
