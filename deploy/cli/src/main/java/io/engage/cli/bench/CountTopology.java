package io.engage.cli.bench;

import io.engage.avro.RawReading;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The trivial Kafka Streams baseline: decode each {@code readings.raw} value (Confluent wire format Avro, as the
 * normaliser does) and count readings per key (the device id) in a RocksDB store, emitting the counts to a topic.
 * Keyed as its input, so there is no repartition: one read, one store update and one changelog write per reading.
 *
 * <pre>
 * input --> decode (RawReading) --> count [bench-count-store, RocksDB] --> output (device id, Long)
 * </pre>
 */
public final class CountTopology {
    public static final String STORE = "bench-count-store";

    private CountTopology() {}

    public static Topology build(String input, String output, Deserializer<RawReading> raw) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("bench-input"))
                .mapValues((key, bytes) -> raw.deserialize(input, bytes).getDeviceId(), Named.as("decode"))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .count(
                        Named.as("count"),
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.Long()))
                .toStream(Named.as("counts"))
                .to(output, Produced.with(Serdes.String(), Serdes.Long()).withName("bench-output"));
        return builder.build();
    }
}
