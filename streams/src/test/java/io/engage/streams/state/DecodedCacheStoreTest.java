package io.engage.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.junit.jupiter.api.Test;

/**
 * {@link DecodedCacheStore} is transparent: whatever the order of reads, writes, deletes, ranges and commits, it
 * answers as a plain map would, and after a commit the store below holds exactly that map; through a topology, each
 * changed key reaches the changelog and the flush listener once per commit, with its last value.
 */
class DecodedCacheStoreTest {

    interface Op {}

    record Put(String key, String value) implements Op {}

    record Delete(String key) implements Op {}

    record Get(String key) implements Op {}

    record Range(String from, String to) implements Op {}

    record Commit() implements Op {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> keys = Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h");
        Arbitrary<String> values = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(3);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Combinators.combine(keys, values).as(Put::new)),
                net.jqwik.api.Tuple.of(2, keys.map(Delete::new)),
                net.jqwik.api.Tuple.of(4, keys.map(Get::new)),
                net.jqwik.api.Tuple.of(
                        1,
                        Combinators.combine(keys, keys)
                                .as((x, y) -> x.compareTo(y) <= 0 ? new Range(x, y) : new Range(y, x))),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Commit())));
        return op.list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void answersAsAMapWhateverTheOrderOfOperations(
            @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 0, max = 4) int capacity) {
        KeyValueStore<String, String> below = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("below"), Serdes.String(), Serdes.String())
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        DecodedCacheStore<String> store = new DecodedCacheStore<>(below, capacity);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        List<KeyValue<String, String>> flushed = new ArrayList<>();
        store.setFlushListener(r -> flushed.add(KeyValue.pair(r.key(), r.value().newValue)), false);
        TreeMap<String, String> model = new TreeMap<>();
        for (Op op : ops) {
            if (op instanceof Put p) {
                store.put(p.key(), p.value());
                model.put(p.key(), p.value());
            } else if (op instanceof Delete d) {
                assertThat(store.delete(d.key())).isEqualTo(model.remove(d.key()));
            } else if (op instanceof Get g) {
                assertThat(store.get(g.key())).isEqualTo(model.get(g.key()));
            } else if (op instanceof Range r) {
                assertThat(list(store.range(r.from(), r.to())))
                        .isEqualTo(pairs(new TreeMap<>(model.subMap(r.from(), true, r.to(), true))));
            } else {
                flushed.clear();
                store.flushCache();
                assertThat(store.changedKeys()).isZero();
                assertThat(store.heapEntries()).isLessThanOrEqualTo(capacity);
                // every key changed since the last commit, once, with its value now
                Map<String, String> seen = new TreeMap<>();
                flushed.forEach(kv -> assertThat(seen.put(kv.key, kv.value)).isNull());
                seen.forEach((k, v) -> assertThat(v).isEqualTo(model.get(k)));
                assertThat(list(below.all())).isEqualTo(pairs(model));
            }
        }
        store.flushCache();
        assertThat(list(below.all())).isEqualTo(pairs(model));
    }

    @Test
    void aCommitSendsEachChangedKeyOnceWithItsLastValueToTheChangelogAndTheListener() {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
        topology.addProcessor("p", () -> new Writer(), "in");
        topology.addStateStore(
                DecodedCacheStore.builder(
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore("kv"), Serdes.String(), Serdes.String()),
                        16),
                "p");
        topology.addSink("out", "out", new StringSerializer(), new StringSerializer(), "p");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decoded-cache");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, String> in =
                    driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out =
                    driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
            TestOutputTopic<String, String> changelog = driver.createOutputTopic(
                    "decoded-cache-kv-changelog", new StringDeserializer(), new StringDeserializer());

            // one input record writes "x" three times and "y" once and reads its own writes back: the changelog and
            // the listener get each key once, at the commit, with its last value
            in.pipeInput("x", "1,2,3|y=9");
            assertThat(out.readKeyValuesToList())
                    .containsExactly(
                            KeyValue.pair("read", "x=3 y=9"), KeyValue.pair("x", "3"), KeyValue.pair("y", "9"));
            assertThat(changelog.readKeyValuesToList())
                    .containsExactly(KeyValue.pair("x", "3"), KeyValue.pair("y", "9"));

            // a range sees the writes before it: they go below (and to the listener) first; a deletion is logged
            in.pipeInput("x", "4|y=|range");
            assertThat(out.readKeyValuesToList())
                    .containsExactly(KeyValue.pair("x", "4"), KeyValue.pair("read", "x=4 y=null range=[x=4]"));
            assertThat(changelog.readKeyValuesToList())
                    .containsExactly(KeyValue.pair("x", "4"), KeyValue.pair("y", null));
            KeyValueStore<String, String> kv = driver.getKeyValueStore("kv");
            assertThat(kv.get("x")).isEqualTo("4");
            assertThat(kv.get("y")).isNull();
        }
    }

    /**
     * Input value {@code v1,v2,..|other=w[|range]}: puts each {@code vi} under the record's key, then {@code w} under
     * {@code other} (an empty {@code w} deletes it), reads both back and, with {@code range}, ranges over all; its flush listener forwards
     * each flushed key with its value.
     */
    private static final class Writer implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, String> store;

        @Override
        @SuppressWarnings("unchecked")
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            store = context.getStateStore("kv");
            // as io.engage.streams.SentOnCommit does: the flush at a commit runs outside any processor
            InternalProcessorContext<String, String> internal = (InternalProcessorContext<String, String>) context;
            ProcessorNode<?, ?, ?, ?> self = internal.currentNode();
            ((CachedStateStore<String, String>) store)
                    .setFlushListener(
                            r -> {
                                if (r.value().newValue != null) {
                                    ProcessorNode<?, ?, ?, ?> current = internal.currentNode();
                                    internal.setCurrentNode(self);
                                    try {
                                        context.forward(new Record<>(r.key(), r.value().newValue, r.timestamp()));
                                    } finally {
                                        internal.setCurrentNode(current);
                                    }
                                }
                            },
                            false);
        }

        @Override
        public void process(Record<String, String> record) {
            String[] parts = record.value().split("\\|");
            for (String v : parts[0].split(",")) {
                store.put(record.key(), v);
            }
            String[] other = parts[1].split("=", -1);
            store.put(other[0], other[1].isEmpty() ? null : other[1]);
            String read = record.key() + "=" + store.get(record.key()) + " " + other[0] + "=" + store.get(other[0]);
            if (parts.length > 2) {
                List<String> range = new ArrayList<>();
                try (KeyValueIterator<String, String> it = store.all()) {
                    it.forEachRemaining(kv -> range.add(kv.key + "=" + kv.value));
                }
                read += " range=" + range;
            }
            context.forward(new Record<>("read", read, record.timestamp()));
        }
    }

    private static <K, V> List<KeyValue<K, V>> list(KeyValueIterator<K, V> it) {
        List<KeyValue<K, V>> all = new ArrayList<>();
        try (it) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private static List<KeyValue<String, String>> pairs(TreeMap<String, String> map) {
        return map.entrySet().stream()
                .map(e -> KeyValue.pair(e.getKey(), e.getValue()))
                .toList();
    }
}
