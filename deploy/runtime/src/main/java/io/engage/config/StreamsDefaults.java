package io.engage.config;

import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams settings every engage application shares: application id, bootstrap servers,
 * {@code processing.guarantee} (exactly_once_v2 by default) and {@code commit.interval.ms} from the configuration,
 * state under {@code data.dir/streams}, the registry settings for the serdes and {@code kafka.*} pass-through.
 * Pass-through settings cannot weaken acks=all, idempotence or read_committed.
 */
public final class StreamsDefaults {
    private StreamsDefaults() {}

    /** The Streams producers' {@code linger.ms} ({@code kafka.producer.linger.ms} overrides it). */
    public static final int STREAMS_PRODUCER_LINGER_MS = 20;

    public static Properties properties(EngageConfig config, String applicationId) {
        Properties p = new Properties();
        p.put(
                StreamsConfig.STATE_DIR_CONFIG,
                config.dataDir().resolve("streams").toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.longValue(EngageConfig.COMMIT_INTERVAL_MS));
        // compressed state: RocksDB blocks (LZ4) and the batches the producer writes (outputs and changelogs; Snappy,
        // like engage's other producers, KafkaClientConfigs); kafka.* pass-through may choose otherwise
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CompressedRocksDb.class);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), KafkaClientConfigs.COMPRESSION);
        // batches leave while the commit interval runs, not all at its commit: Kafka Streams' own default (100 ms,
        // as long as the interval) held every output until the commit's flush, and the stream thread waited for all
        // of it there (a fifth of the engagement stage's time); 5 ms made many small batches (with LZ4, each allocated
        // 128 KiB of buffers: a tenth of the normaliser's time). docs/benchmarks.md, "Decoded state on the heap"
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), STREAMS_PRODUCER_LINGER_MS);
        // no task of engage's applications needs records of two inputs in time order (only the engagement task has
        // other inputs, the rare cheers and erasure requests; their topology tests check it), so none waits for an
        // empty partition; without the wait, Kafka Streams 4.3 skips the readiness check it otherwise makes for every
        // empty partition buffer on every pass (docs/benchmarks.md)
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.putAll(config.kafkaPassThrough());
        p.putAll(config.registryClientConfigs());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.bootstrapServers().ifPresent(b -> p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, b));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        // changelogs compact an erased participant's entries away within a day, like the compacted topics
        // (docs/privacy.md); on the delete-policy repartition topics the setting does nothing
        p.putIfAbsent(
                StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
                String.valueOf(io.engage.schemas.topics.TopicCatalogue.MAX_COMPACTION_LAG.toMillis()));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        return p;
    }

    /**
     * Static group membership (KIP-345) for an application's main consumers: {@code <application.id>-<instanceId>}
     * ({@code -<thread>} is appended by Kafka Streams). An instance that restarts, after a crash too, takes its
     * place in the group back at once with its tasks, instead of waiting out the dead member's session timeout
     * (45 s by default) and a rebalance. The id must be stable across restarts and unique across instances; without
     * one ({@link EngageConfig#stableInstanceId(String)} empty) membership stays dynamic.
     */
    public static Properties withStaticMembership(Properties p, Optional<String> instanceId) {
        instanceId.ifPresent(id -> p.put(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-" + id));
        return p;
    }
}
