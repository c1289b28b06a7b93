package io.engage.schemas.registry;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * The JSON text of each {@link Schema} instance, rendered once: the registry clients key their caches by this text
 * and are asked on every serialised record, while {@link Schema#toString()} renders the whole schema each call.
 *
 * <p>Keyed by instance, not by {@link Schema#equals}: Avro's equality ignores docs and aliases, which the registry
 * does not, so two equal schemas may still be two registry entries. Structurally identical instances share one
 * {@code String}, so the callers' maps compare them by reference. Holds at most {@code capacity} instances and
 * starts afresh when full, so schemas built per record cannot grow it without bound.
 */
final class SchemaTexts {
    /** A rendered text and the schema's hash when it was rendered: {@code addProp} changes both. */
    private record Rendered(String text, int hash) {}

    private final int capacity;
    private final Function<Schema, String> render;
    /** Copy-on-write: every record reads it without a lock; a new instance (rare) copies it under the lock. */
    private volatile IdentityHashMap<Schema, Rendered> byInstance = new IdentityHashMap<>();
    /** One {@code String} per distinct text; guarded by {@code this}. */
    private final Map<String, String> texts = new HashMap<>();

    SchemaTexts(int capacity) {
        this(capacity, Schema::toString);
    }

    /** With the rendering given, so tests can count renderings. */
    SchemaTexts(int capacity, Function<Schema, String> render) {
        this.capacity = Math.max(1, capacity);
        this.render = render;
    }

    /** The schema's JSON text, as {@link Schema#toString()} gives it. */
    String of(Schema schema) {
        Rendered known = byInstance.get(schema);
        // Avro caches the hash, so this costs a field read; it catches a prop added after the first rendering.
        if (known != null && known.hash() == schema.hashCode()) {
            return known.text();
        }
        return renderAndRemember(schema);
    }

    private synchronized String renderAndRemember(Schema schema) {
        String text = render.apply(schema);
        String shared = texts.putIfAbsent(text, text);
        if (shared != null) {
            text = shared;
        }
        IdentityHashMap<Schema, Rendered> next =
                byInstance.size() >= capacity ? new IdentityHashMap<>() : new IdentityHashMap<>(byInstance);
        if (next.isEmpty()) {
            texts.clear();
            texts.put(text, text);
        }
        next.put(schema, new Rendered(text, schema.hashCode()));
        byInstance = next;
        return text;
    }
}
