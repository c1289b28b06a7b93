package io.engage.streams;

import io.engage.avro.DailyActivity;
import io.engage.avro.ParticipantDay;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Places an {@code activity.daily} record (Avro key {@link ParticipantDay}) on the partition its participant id would
 * have as a plain string key, so the topic stays co-partitioned with every other participant-keyed topic.
 */
final class ParticipantDayPartitioner implements StreamPartitioner<ParticipantDay, DailyActivity> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, ParticipantDay key, DailyActivity value, int numPartitions) {
        return Optional.of(Set.of(partition(key.getParticipantId(), numPartitions)));
    }

    /** The default partitioner's choice for a string key: murmur2 of its UTF-8 bytes. */
    static int partition(String participantId, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(participantId.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
