package io.engage.embedded.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The Confluent compatibility levels, checked with Avro's own {@link SchemaCompatibility}.
 *
 * <p>BACKWARD: the new schema, as reader, reads data written with the previous one. FORWARD: the previous
 * schema, as reader, reads data written with the new one. FULL: both. The TRANSITIVE forms check against
 * every non-deleted version of the subject, the others only against the latest one.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level named {@code name} (case-insensitive), empty when it names none. */
    static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether every non-deleted version is checked rather than only the latest one. */
    boolean transitive() {
        return transitive;
    }

    /**
     * Why {@code candidate} is incompatible with {@code previous} under this level; empty when compatible.
     * The transitive flag plays no part here: the caller chooses which previous versions to check.
     */
    List<String> incompatibilities(Schema candidate, Schema previous) {
        List<String> messages = new ArrayList<>();
        if (backward) {
            describe(
                    SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
                    "The new schema cannot read data written with the old schema",
                    messages);
        }
        if (forward) {
            describe(
                    SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
                    "The old schema cannot read data written with the new schema",
                    messages);
        }
        return messages;
    }

    private static void describe(SchemaPairCompatibility result, String direction, List<String> out) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        List<Incompatibility> found = result.getResult().getIncompatibilities();
        if (found == null || found.isEmpty()) {
            out.add("{errorType:'" + result.getType() + "', description:'" + direction + "'}");
            return;
        }
        for (Incompatibility inc : found) {
            out.add("{errorType:'" + inc.getType() + "', description:'" + direction + " (" + inc.getMessage()
                    + " at path " + inc.getLocation() + ")', additionalInfo:'" + inc.getMessage() + "'}");
        }
    }
}
