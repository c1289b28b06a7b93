package io.engage.streams.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance of the application holds the active copy of a key's store partition (Kafka Streams' key metadata,
 * from each instance's {@code application.server}), so that any instance can answer a query for any key.
 */
public interface KeyOwners {
    /** Every key is local (one instance, or tests). */
    KeyOwners LOCAL = new KeyOwners() {
        @Override
        public Optional<String> remoteOwner(String store, String key) {
            return Optional.empty();
        }

        @Override
        public List<String> others(String store) {
            return List.of();
        }
    };

    /**
     * The base URL ({@code http://host:port}, or {@code https://}) of the instance that holds {@code key} of {@code store}, or empty when
     * it is this instance.
     *
     * @throws InvalidStateStoreException while the owner is not known (starting or rebalancing)
     */
    Optional<String> remoteOwner(String store, String key);

    /**
     * The base URLs of the other instances that hold partitions of {@code store} (for a query over every partition).
     *
     * @throws InvalidStateStoreException while the application is not running (starting or rebalancing)
     */
    List<String> others(String store);

    private static String url(String scheme, HostInfo host) {
        return scheme + "://" + host.host() + ":" + host.port();
    }

    /**
     * Over a running application whose {@code application.server} is {@code self}; the instances' query APIs are
     * reached with {@code scheme} ({@code http}, or {@code https} with TLS).
     */
    static KeyOwners of(KafkaStreams streams, HostInfo self, String scheme) {
        Serializer<String> keys = Serdes.String().serializer();
        return new KeyOwners() {
            @Override
            public Optional<String> remoteOwner(String store, String key) {
                KeyQueryMetadata md = streams.queryMetadataForKey(store, key, keys);
                if (md == null
                        || KeyQueryMetadata.NOT_AVAILABLE.equals(md)
                        || md.activeHost() == null
                        || md.activeHost().port() < 0) {
                    throw new InvalidStateStoreException("no owner known for key '" + key + "' of store " + store);
                }
                HostInfo owner = md.activeHost();
                return owner.equals(self) ? Optional.empty() : Optional.of(url(scheme, owner));
            }

            @Override
            public List<String> others(String store) {
                if (streams.state() != KafkaStreams.State.RUNNING) {
                    throw new InvalidStateStoreException("the application is " + streams.state());
                }
                List<String> out = new ArrayList<>();
                for (StreamsMetadata m : streams.streamsMetadataForStore(store)) {
                    if (!m.hostInfo().equals(self) && m.hostInfo().port() >= 0) {
                        out.add(url(scheme, m.hostInfo()));
                    }
                }
                return out;
            }
        };
    }
}
