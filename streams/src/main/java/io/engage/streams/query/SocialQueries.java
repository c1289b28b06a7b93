package io.engage.streams.query;

import io.engage.avro.StandingPeriod;
import io.engage.streams.EngagementStores;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.social.Leaderboards;
import io.engage.streams.social.StandingKeys;
import io.engage.streams.state.StoreKeys;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read-only answers for the social part of the query API (docs/social.md): leaderboards and received cheers, from the
 * social stores of this instance. A participant leaderboard is spread over every participant partition: this instance
 * answers for its own partitions (each partition's ranking is one key range, best first, so a partition gives its top
 * entries after reading about that many keys) and the HTTP layer merges the answers of all instances. A team
 * leaderboard lives on the one partition of its programme.
 */
public final class SocialQueries {
    private final ReadOnlyKeyValueStore<String, ProfileView> profiles;
    private final Supplier<Map<Integer, ReadOnlyKeyValueStore<String, byte[]>>> rankingPartitions;
    private final ReadOnlyKeyValueStore<String, byte[]> teamRanking;
    private final ReadOnlyKeyValueStore<String, Long> cheersReceived;

    /**
     * @param rankingPartitions the participant ranking store of each participant partition this instance holds, by
     *                          partition number (a range over one partition's store is in key order)
     */
    public SocialQueries(
            ReadOnlyKeyValueStore<String, ProfileView> profiles,
            Supplier<Map<Integer, ReadOnlyKeyValueStore<String, byte[]>>> rankingPartitions,
            ReadOnlyKeyValueStore<String, byte[]> teamRanking,
            ReadOnlyKeyValueStore<String, Long> cheersReceived) {
        this.profiles = profiles;
        this.rankingPartitions = rankingPartitions;
        this.teamRanking = teamRanking;
        this.cheersReceived = cheersReceived;
    }

    /** Over the local stores of a running application whose {@code application.server} is {@code self}. */
    public static SocialQueries of(KafkaStreams streams, HostInfo self) {
        return new SocialQueries(
                store(streams, EngagementStores.PROFILES),
                () -> localPartitions(streams, self),
                store(streams, EngagementStores.TEAM_RANKING),
                store(streams, EngagementStores.CHEERS_RECEIVED));
    }

    private static <V> ReadOnlyKeyValueStore<String, V> store(KafkaStreams streams, String name) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    /** The ranking store of each partition this instance holds (Kafka Streams' metadata for the store). */
    private static Map<Integer, ReadOnlyKeyValueStore<String, byte[]>> localPartitions(
            KafkaStreams streams, HostInfo self) {
        Map<Integer, ReadOnlyKeyValueStore<String, byte[]>> out = new TreeMap<>();
        for (StreamsMetadata m : streams.streamsMetadataForStore(EngagementStores.RANKING)) {
            if (!m.hostInfo().equals(self)) {
                continue;
            }
            m.topicPartitions().stream()
                    .map(tp -> tp.partition())
                    .distinct()
                    .sorted()
                    .forEach(p -> out.put(
                            p,
                            streams.store(StoreQueryParameters.fromNameAndType(
                                            EngagementStores.RANKING,
                                            QueryableStoreTypes.<String, byte[]>keyValueStore())
                                    .withPartition(p))));
        }
        return out;
    }

    /**
     * This instance's part of a participant leaderboard: the top {@code limit} of each of its partitions (by partition
     * number), counting only participants who are (still) in the programme, consent and are visible on leaderboards.
     */
    public Map<Integer, List<Leaderboards.Entry>> participantsPartial(
            String programId, StandingPeriod period, LocalDate date, int limit) {
        String prefix = StandingKeys.rankPrefix(programId, period, StandingKeys.periodStart(period, date));
        Map<Integer, List<Leaderboards.Entry>> out = new TreeMap<>();
        rankingPartitions
                .get()
                .forEach((partition, store) ->
                        out.put(partition, top(store, prefix, limit, id -> shown(programId, id))));
        return out;
    }

    /** A team leaderboard (on the instance that holds the programme). */
    public List<Leaderboards.Ranked> teams(String programId, StandingPeriod period, LocalDate date, int limit) {
        String prefix = StandingKeys.rankPrefix(programId, period, StandingKeys.periodStart(period, date));
        return Leaderboards.merge(List.of(top(teamRanking, prefix, limit, id -> true)), limit);
    }

    /** How many counted cheers the participant received on local date {@code date}. */
    public long cheersReceived(String participantId, LocalDate date) {
        Long n = cheersReceived.get(StoreKeys.day(participantId, date));
        return n == null ? 0 : n;
    }

    private boolean shown(String programId, String participantId) {
        ProfileView p = profiles.get(participantId);
        return p != null && p.consent() && p.leaderboardVisible() && Objects.equals(p.programId(), programId);
    }

    private static List<Leaderboards.Entry> top(
            ReadOnlyKeyValueStore<String, byte[]> store,
            String prefix,
            int limit,
            java.util.function.Predicate<String> shown) {
        try (KeyValueIterator<String, byte[]> it = store.range(prefix, StandingKeys.rangeEnd(prefix))) {
            return Leaderboards.top(
                    new java.util.Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public String next() {
                            return it.next().key;
                        }
                    },
                    shown,
                    limit);
        }
    }
}
