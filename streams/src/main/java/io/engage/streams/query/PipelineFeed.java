package io.engage.streams.query;

import io.engage.avro.GoalAchieved;
import io.engage.avro.RejectedReading;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementStores;
import io.engage.streams.EngagementTopology;
import io.engage.streams.coaching.NudgeRecord;
import io.engage.streams.state.StoreKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link PipelineTally} up to date (docs/query.md, "Pipeline counts"): one {@code read_committed} consumer
 * without a group reads every partition of {@code readings.normalized} (counted, not decoded), {@code
 * readings.rejected} (reason), {@code goals.achieved} (programme, date, metric) and the changelog of the nudge records
 * store (each due nudge's record is written once: sent, or held back with its reason) from the beginning, then follows
 * them. Every instance reads them whole, so every instance has the same counts. A topic that does not exist yet (the
 * changelog before the engagement application first started) is looked for again every few seconds, never created.
 */
public final class PipelineFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineFeed.class);
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Router router;
    private final PipelineTally tally;
    private final Thread thread;
    private final KafkaClientMetrics consumerMetrics;
    private volatile boolean closed;

    private PipelineFeed(
            KafkaConsumer<byte[], byte[]> consumer, Router router, PipelineTally tally, MeterRegistry metrics) {
        this.consumer = consumer;
        // its fetch metrics (lag, records consumed) among the process's kafka_consumer_* (docs/operations.md)
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(metrics);
        this.router = router;
        this.tally = tally;
        this.thread = new Thread(this::run, "pipeline-feed");
        this.thread.setDaemon(true);
    }

    /** Starts following the topics of {@code config} into {@code tally}; its consumer's metrics go to {@code metrics}. */
    public static PipelineFeed start(EngageConfig config, PipelineTally tally, MeterRegistry metrics) {
        Map<String, Object> props = KafkaClientConfigs.consumer(config, null);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, EngagementTopology.applicationId(config) + "-pipeline-feed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        PipelineFeed feed = new PipelineFeed(
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                new Router(
                        new TopicCatalogue(config.topicPrefix()),
                        new TopicSerdes(config.registryClientConfigs()),
                        nudgesChangelog(config),
                        tally),
                tally,
                metrics);
        feed.thread.start();
        return feed;
    }

    /** The changelog topic of the nudge records store (Kafka Streams names it after the application id). */
    static String nudgesChangelog(EngageConfig config) {
        return EngagementTopology.applicationId(config) + "-" + EngagementStores.NUDGES + "-changelog";
    }

    private void run() {
        List<String> missing = new ArrayList<>(router.topics());
        Map<TopicPartition, Long> startEnds = new HashMap<>();
        List<TopicPartition> assigned = new ArrayList<>();
        long lookedAt = 0;
        try {
            while (!closed) {
                if (!missing.isEmpty() && System.nanoTime() - lookedAt > LOOK_AGAIN.toNanos()) {
                    lookedAt = System.nanoTime();
                    List<TopicPartition> found = new ArrayList<>();
                    for (String topic : List.copyOf(missing)) {
                        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                        if (partitions != null && !partitions.isEmpty()) {
                            partitions.forEach(p -> found.add(new TopicPartition(topic, p.partition())));
                            missing.remove(topic);
                        }
                    }
                    if (!found.isEmpty()) {
                        assigned.addAll(found);
                        consumer.assign(assigned);
                        consumer.seekToBeginning(found);
                        if (!tally.caughtUp()) {
                            startEnds.putAll(consumer.endOffsets(found, Duration.ofSeconds(10)));
                        }
                    }
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    router.accept(r);
                }
                if (!tally.caughtUp()
                        && startEnds.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    // topics that appear later (a changelog) hold nothing older than this instance
                    tally.markCaughtUp();
                    LOG.info("pipeline counts caught up: {}", tally.readings());
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the pipeline counts stopped following their topics; their routes answer 503 from now on", e);
            tally.markStopped(e.toString());
        } finally {
            consumerMetrics.close();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts one record of one of the followed topics into the tally. */
    static final class Router {
        private final String normalized;
        private final String rejected;
        private final String goals;
        private final String nudges;
        private final Deserializer<RejectedReading> rejectedValues;
        private final Deserializer<GoalAchieved> goalValues;
        private final Deserializer<NudgeRecord> nudgeValues =
                NudgeRecord.serde().deserializer();
        private final PipelineTally tally;

        Router(TopicCatalogue catalogue, TopicSerdes serdes, String nudgesChangelog, PipelineTally tally) {
            this.normalized = catalogue.name(Topics.READINGS_NORMALIZED);
            this.rejected = catalogue.name(Topics.READINGS_REJECTED);
            this.goals = catalogue.name(Topics.GOALS_ACHIEVED);
            this.nudges = nudgesChangelog;
            this.rejectedValues = serdes.valueSerde(Topics.READINGS_REJECTED).deserializer();
            this.goalValues = serdes.valueSerde(Topics.GOALS_ACHIEVED).deserializer();
            this.tally = tally;
        }

        List<String> topics() {
            return List.of(normalized, rejected, goals, nudges);
        }

        void accept(ConsumerRecord<byte[], byte[]> r) {
            if (r.value() == null) {
                return; // a tombstone (an expired or erased nudge record): what was decided stays counted
            }
            String topic = r.topic();
            try {
                if (topic.equals(normalized)) {
                    tally.normalized(1);
                } else if (topic.equals(rejected)) {
                    tally.deadLettered(rejectedValues
                            .deserialize(topic, r.value())
                            .getReason()
                            .name());
                } else if (topic.equals(goals)) {
                    GoalAchieved g = goalValues.deserialize(topic, r.value());
                    tally.goal(g.getProgramId(), g.getDate(), g.getMetric());
                } else if (topic.equals(nudges)) {
                    // participant NUL date NUL dueMillis NUL type NUL slot (EngagementStores.NUDGES)
                    List<String> key = StoreKeys.split(new String(r.key(), StandardCharsets.UTF_8));
                    NudgeRecord n = nudgeValues.deserialize(topic, r.value());
                    tally.nudge(LocalDate.parse(key.get(1)), n.type(), n.reason());
                }
            } catch (RuntimeException e) {
                // one unreadable record must not stop the counts; it is named so it can be found
                LOG.warn("pipeline counts skip {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            }
        }
    }
}
