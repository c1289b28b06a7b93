package io.engage.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory registry for {@code mock://} URLs: topology tests with {@code TopologyTestDriver} use it so
 * they need no broker and no HTTP. Ids are global and stable for the life of the instance; compatibility
 * is BACKWARD (the registry default) unless set otherwise; the TRANSITIVE levels check every version.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    static {
        io.engage.schemas.AvroTrust.install();
    }

    /** Serialisers register on every record: render each schema instance once, not per call. */
    private final SchemaTexts texts = new SchemaTexts(1000);
    /** Schema text to global id: one id per distinct text, as in the registry. */
    private final Map<String, Integer> idsByCanonical = new HashMap<>();

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, TreeMap<Integer, Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, String> levels = new HashMap<>();
    private String globalLevel = "BACKWARD";

    @Override
    public synchronized int register(String subject, Schema schema) {
        String canonical = texts.of(schema);
        TreeMap<Integer, Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new TreeMap<>());
        Integer known = idsByCanonical.get(canonical);
        if (known != null && versions.containsValue(known)) {
            return known;
        }
        if (!versions.isEmpty() && !isCompatible(subject, schema)) {
            throw new IncompatibleSchemaException(
                    409, 409, "schema is incompatible with the latest version of " + subject);
        }
        int id = idsByCanonical.computeIfAbsent(canonical, c -> idsByCanonical.size() + 1);
        schemasById.putIfAbsent(id, schema);
        versions.put(versions.isEmpty() ? 1 : versions.lastKey() + 1, id);
        return id;
    }

    @Override
    public synchronized SchemaMetadata lookup(String subject, Schema schema) {
        TreeMap<Integer, Integer> versions = subjectVersions(subject);
        // The id of a text is unique, so comparing ids compares the versions' texts.
        Integer id = idsByCanonical.get(texts.of(schema));
        for (Map.Entry<Integer, Integer> v : versions.entrySet()) {
            if (v.getValue().equals(id)) {
                return new SchemaMetadata(subject, v.getKey(), v.getValue(), schemasById.get(v.getValue()));
            }
        }
        throw new SchemaRegistryException(404, 40403, "Schema not found in subject " + subject);
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema s = schemasById.get(id);
        if (s == null) {
            throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
        }
        return s;
    }

    @Override
    public synchronized SchemaMetadata latest(String subject) {
        TreeMap<Integer, Integer> versions = subjectVersions(subject);
        Map.Entry<Integer, Integer> last = versions.lastEntry();
        return new SchemaMetadata(subject, last.getKey(), last.getValue(), schemasById.get(last.getValue()));
    }

    @Override
    public synchronized SchemaMetadata version(String subject, int version) {
        Integer id = subjectVersions(subject).get(version);
        if (id == null) {
            throw new SchemaRegistryException(404, 40402, "Version " + version + " not found");
        }
        return new SchemaMetadata(subject, version, id, schemasById.get(id));
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return new ArrayList<>(subjectVersions(subject).keySet());
    }

    @Override
    public synchronized List<String> subjects() {
        return new ArrayList<>(new TreeMap<>(versionsBySubject).keySet());
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return true;
        }
        String level = compatibility(subject);
        if ("NONE".equals(level)) {
            return true;
        }
        // The TRANSITIVE levels check every version, the others only the latest.
        List<Integer> against = level.endsWith("_TRANSITIVE")
                ? new ArrayList<>(versions.values())
                : List.of(versions.lastEntry().getValue());
        boolean backward = true;
        boolean forward = true;
        for (int id : against) {
            Schema earlier = schemasById.get(id);
            backward &= compatible(schema, earlier);
            forward &= compatible(earlier, schema);
        }
        return switch (level) {
            case "FORWARD", "FORWARD_TRANSITIVE" -> forward;
            case "FULL", "FULL_TRANSITIVE" -> backward && forward;
            default -> backward;
        };
    }

    private static boolean compatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                        .getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    @Override
    public synchronized String compatibility(String subject) {
        return subject == null ? globalLevel : levels.getOrDefault(subject, globalLevel);
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        if (subject == null) {
            globalLevel = level;
        } else {
            levels.put(subject, level);
        }
    }

    @Override
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        TreeMap<Integer, Integer> versions = versionsBySubject.remove(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, 40401, "Subject '" + subject + "' not found.");
        }
        return new ArrayList<>(versions.keySet());
    }

    private TreeMap<Integer, Integer> subjectVersions(String subject) {
        TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, 40401, "Subject '" + subject + "' not found.");
        }
        return versions;
    }
}
