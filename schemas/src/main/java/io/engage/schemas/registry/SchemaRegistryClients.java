package io.engage.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates registry clients from configuration and shares one client per configuration, so the serdes of
 * an application share one cache (as Confluent's serdes do within a JVM). {@code mock://scope} URLs give
 * an in-memory registry per scope, for tests.
 */
public final class SchemaRegistryClients {
    private static final Map<String, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {}

    /** The shared client for these settings ({@code schema.registry.url} and the related keys). */
    public static SchemaRegistryClient forConfig(Map<String, ?> configs) {
        RegistryClientConfig config = RegistryClientConfig.from(configs);
        String first = config.urls().get(0);
        if (first.startsWith("mock://")) {
            return SHARED.computeIfAbsent(first, k -> new InMemorySchemaRegistryClient());
        }
        String key = config.urls() + "|"
                + (config.userInfo() == null
                        ? ""
                        : Integer.toHexString(config.userInfo().hashCode())) + "|" + config.truststoreLocation() + "|"
                + config.keystoreLocation();
        return SHARED.computeIfAbsent(key, k -> new RestSchemaRegistryClient(config));
    }

    /** Forgets the in-memory registry of a {@code mock://} scope (between tests). */
    public static void dropMockScope(String url) {
        SHARED.remove(url);
    }
}
