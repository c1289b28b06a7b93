package io.engage.cli;

import io.engage.config.EngageConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration of an in-process local stack for a test: data under {@code dir/var}, every port free. */
final class EphemeralStack {
    private EphemeralStack() {}

    /** With {@code extra} settings added (e.g. {@code auth.token.admin}). */
    static EngageConfig config(Path dir, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(Map.of(
                "data.dir", dir.resolve("var").toString(),
                "broker.port", "0",
                "registry.port", "0",
                "ingest.port", "0",
                "query.port", "0"));
        m.putAll(extra);
        return EngageConfig.of(m);
    }

    static EngageConfig config(Path dir) {
        return config(dir, Map.of());
    }
}
