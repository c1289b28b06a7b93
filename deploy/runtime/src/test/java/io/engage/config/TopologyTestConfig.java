package io.engage.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Configuration for a {@code TopologyTestDriver} test: a fresh in-memory registry scope ({@code mock://}), a dummy
 * bootstrap address and a temporary state directory, on top of the test's overrides.
 */
public record TopologyTestConfig(EngageConfig config, String registryUrl, Path stateDir) {

    /** A new configuration; {@code name} names the registry scope and the state directory. */
    public static TopologyTestConfig create(String name, Map<String, String> overrides) {
        String registryUrl = "mock://" + name + "-" + UUID.randomUUID();
        Map<String, String> values = new HashMap<>(overrides);
        values.put(EngageConfig.SCHEMA_REGISTRY_URL, registryUrl);
        values.putIfAbsent(EngageConfig.BOOTSTRAP_SERVERS, "unused:9092");
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory(name + "-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.put(EngageConfig.DATA_DIR, stateDir.toString());
        return new TopologyTestConfig(EngageConfig.of(values), registryUrl, stateDir);
    }
}
