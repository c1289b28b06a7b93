package io.engage.config;

import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A {@code TopologyTestDriver} over a topology built from an {@link EngageConfig} (a fresh in-memory registry scope, a
 * temporary state directory), with input and output topics typed by the topic catalogue: the setup the normaliser's
 * and the engagement topology's test drivers share.
 */
public final class CatalogueTestDriver implements AutoCloseable {
    public final EngageConfig config;
    public final String registryUrl;
    public final TopologyTestDriver driver;

    /** The catalogue's serdes on this driver's registry scope. */
    public final TopicSerdes serdes;
    /** The topic names under the configured prefix. */
    public final TopicCatalogue topics;

    private final Path stateDir;

    /**
     * Builds the topology and its Streams properties from the configuration ({@code name} names the registry scope
     * and the state directory; {@code overrides} come on top of the test defaults) and starts the driver at
     * {@code start}.
     */
    public CatalogueTestDriver(
            String name,
            Map<String, String> overrides,
            Function<EngageConfig, Topology> topology,
            Function<EngageConfig, Properties> streamsProperties,
            Instant start) {
        TopologyTestConfig test = TopologyTestConfig.create(name, overrides);
        config = test.config();
        registryUrl = test.registryUrl();
        stateDir = test.stateDir();
        serdes = new TopicSerdes(Map.of(EngageConfig.SCHEMA_REGISTRY_URL, registryUrl));
        topics = new TopicCatalogue(config.topicPrefix());
        Properties props = streamsProperties.apply(config);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology.apply(config), props, start);
    }

    /** The topic's input, with the catalogue's key and value serdes. */
    public <K, V> TestInputTopic<K, V> input(TopicSpec<K, V> spec) {
        return driver.createInputTopic(
                topics.name(spec),
                serdes.keySerde(spec).serializer(),
                serdes.valueSerde(spec).serializer());
    }

    /** The topic's input with values as raw bytes (garbage, truncated records, unknown schema ids). */
    public <K> TestInputTopic<K, byte[]> bytesInput(TopicSpec<K, ?> spec) {
        return driver.createInputTopic(
                topics.name(spec),
                serdes.keySerde(spec).serializer(),
                Serdes.ByteArray().serializer());
    }

    /** The topic's output, with the catalogue's key and value serdes. */
    public <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> spec) {
        return driver.createOutputTopic(
                topics.name(spec),
                serdes.keySerde(spec).deserializer(),
                serdes.valueSerde(spec).deserializer());
    }

    /** Closes the driver, drops the registry scope and deletes the state directory. */
    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            SchemaRegistryClients.dropMockScope(registryUrl);
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }
}
