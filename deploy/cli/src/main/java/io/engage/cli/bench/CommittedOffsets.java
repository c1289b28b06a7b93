package io.engage.cli.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Visibility of Kafka Streams applications through their committed offsets. Under {@code exactly_once_v2} an
 * application commits its input offsets in the same transaction as its outputs and changelog writes, so once the
 * committed offsets of every input partition reach the end of the input, every output of that input is committed:
 * visible to {@code read_committed} readers. For a chain of applications (normaliser, then engagement) each stage
 * is awaited in turn: a stage's input end offsets are read only after the stage before it caught up, when that
 * input is complete.
 */
public final class CommittedOffsets implements Visibility {
    /** An application (its consumer group) and the input topic it must catch up on. */
    record Stage(String name, String groupId, String topic) {}

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Admin admin;
    private final List<Stage> stages;

    CommittedOffsets(Admin admin, List<Stage> stages) {
        this.admin = admin;
        this.stages = List.copyOf(stages);
    }

    /**
     * Waits until the application of consumer group {@code groupId} has committed {@code topic} up to its current end.
     *
     * @throws BenchException when it takes longer than {@code timeout}
     */
    public static void awaitCaughtUp(Admin admin, String groupId, String topic, Duration timeout) {
        new CommittedOffsets(admin, List.of(new Stage(groupId, groupId, topic))).awaitVisible(0, timeout, line -> {});
    }

    @Override
    public long awaitVisible(long sent, Duration timeout, Consumer<String> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + 1_000_000_000L;
        for (Stage stage : stages) {
            Map<TopicPartition, Long> target = endOffsets(stage.topic());
            while (true) {
                Map<TopicPartition, Long> committed = committed(stage);
                if (caughtUp(committed, target)) {
                    break;
                }
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new BenchException(stage.name() + " did not catch up on " + stage.topic() + " within "
                            + timeout + ": committed " + sum(committed) + " of " + sum(target));
                }
                if (now > nextReport) {
                    progress.accept(describe());
                    nextReport = now + 1_000_000_000L;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            }
        }
        return System.nanoTime();
    }

    private static boolean caughtUp(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
            if (committed.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Sum over partitions of the stage's committed offsets (records plus transaction markers consumed). */
    long committedTotal(Stage stage) {
        return sum(committed(stage));
    }

    Map<TopicPartition, Long> committed(Stage stage) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(stage.groupId())
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null && tp.topic().equals(stage.topic())) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("cannot read the committed offsets of " + stage.groupId() + ": " + e, e);
        }
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        return endOffsets(admin, topic);
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r =
                    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
            return r.entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("cannot read the end offsets of " + topic + ": " + e, e);
        }
    }

    static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Stage s : stages) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(String.format("%s at %,d on %s", s.name(), committedTotal(s), s.topic()));
        }
        return b.toString();
    }
}
