package io.engage.streams;

import io.engage.avro.Standing;
import io.engage.avro.StandingKey;
import io.engage.avro.StandingScope;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Places a {@code standings} record on the partition its participant id (participant standings) or programme id
 * (team standings) would have as a plain string key: participant standings stay co-partitioned with the other
 * participant-keyed topics, and every key always lands on the same partition, so compaction keeps its latest value.
 */
final class StandingPartitioner implements StreamPartitioner<StandingKey, Standing> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, StandingKey key, Standing value, int numPartitions) {
        String by = key.getScope() == StandingScope.participant ? key.getEntityId() : key.getProgramId();
        return Optional.of(Set.of(ParticipantDayPartitioner.partition(by, numPartitions)));
    }
}
