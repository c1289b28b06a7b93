package io.engage.embedded.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.Schema;

/**
 * The registry's rules (Confluent semantics) over the {@link RegistryState}, writing through the
 * {@link KafkaSchemaStore}. Writes are serialized by one lock held from the decision to the moment the store
 * has read the record back, so two concurrent registrations cannot take the same id or version.
 */
final class SchemaRegistryService {
    /** A schema sent for registration, lookup or a compatibility check. */
    record SchemaRequest(String schema, String schemaType, boolean hasReferences) {}

    /** The outcome of a compatibility check. */
    record CompatibilityResult(boolean compatible, List<String> messages) {}

    static final int LATEST = -1;

    private final RegistryState state;
    private final KafkaSchemaStore store;
    private final ReentrantLock writeLock = new ReentrantLock();

    SchemaRegistryService(RegistryState state, KafkaSchemaStore store) {
        this.state = state;
        this.store = store;
    }

    // ---------------------------------------------------------------- schemas by id

    RegistryState.IdEntry schemaById(String idText) {
        int id = parseId(idText);
        return state.byId(id).orElseThrow(() -> RegistryException.schemaNotFound(String.valueOf(id)));
    }

    List<StoredSchema> usagesOfId(String idText, boolean includeDeleted) {
        int id = parseId(idText);
        if (state.byId(id).isEmpty()) {
            throw RegistryException.schemaNotFound(String.valueOf(id));
        }
        return state.usages(id, includeDeleted);
    }

    private static int parseId(String idText) {
        try {
            return Integer.parseInt(idText.trim());
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound(idText);
        }
    }

    // ---------------------------------------------------------------- subjects and versions

    List<String> subjects(boolean includeDeleted, String prefix) {
        List<String> all = state.subjects(includeDeleted);
        if (prefix == null || prefix.isEmpty()) {
            return all;
        }
        return all.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    List<StoredSchema> allSchemas(boolean includeDeleted, boolean latestOnly, String prefix) {
        List<StoredSchema> out = new ArrayList<>();
        StoredSchema previous = null;
        for (StoredSchema s : state.all(includeDeleted)) {
            if (prefix != null && !prefix.isEmpty() && !s.subject().startsWith(prefix)) {
                continue;
            }
            if (latestOnly && previous != null && previous.subject().equals(s.subject())) {
                out.remove(out.size() - 1);
            }
            out.add(s);
            previous = s;
        }
        return out;
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        List<StoredSchema> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions.stream().map(StoredSchema::version).toList();
    }

    StoredSchema version(String subject, String versionText, boolean includeDeleted) {
        int version = parseVersion(versionText);
        List<StoredSchema> visible = state.versions(subject, includeDeleted);
        if (version == LATEST) {
            if (visible.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            return visible.get(visible.size() - 1);
        }
        Optional<StoredSchema> found = state.version(subject, version);
        if (found.isPresent() && (includeDeleted || !found.get().deleted())) {
            return found.get();
        }
        if (visible.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        throw RegistryException.versionNotFound(version);
    }

    /** {@code POST /subjects/{subject}}: the version of the subject holding this schema. */
    StoredSchema lookup(String subject, SchemaRequest request, boolean includeDeleted) {
        Schema parsed = validate(request);
        List<StoredSchema> visible = state.versions(subject, includeDeleted);
        if (visible.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        String canonical = parsed.toString();
        StoredSchema match = null;
        for (StoredSchema s : visible) {
            if (s.canonical().equals(canonical) && (match == null || match.deleted() || !s.deleted())) {
                match = s;
            }
        }
        if (match == null) {
            throw RegistryException.schemaNotFound();
        }
        return match;
    }

    /** Parses a version path segment: a positive int, or "latest" / -1 as {@link #LATEST}. */
    static int parseVersion(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("latest")) {
            return LATEST;
        }
        int v;
        try {
            v = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw RegistryException.invalidVersion(text);
        }
        if (v == LATEST) {
            return LATEST;
        }
        if (v < 1) {
            throw RegistryException.invalidVersion(text);
        }
        return v;
    }

    // ---------------------------------------------------------------- register

    /** Registers {@code request} under {@code subject}; returns the global id. */
    int register(String subject, SchemaRequest request) {
        Schema parsed = validate(request);
        String canonical = parsed.toString();
        writeLock.lock();
        try {
            List<StoredSchema> all = state.versions(subject, true);
            List<StoredSchema> live = new ArrayList<>();
            for (StoredSchema s : all) {
                if (!s.deleted()) {
                    if (s.canonical().equals(canonical)) {
                        return s.id();
                    }
                    live.add(s);
                }
            }
            CompatibilityLevel level = state.effectiveLevel(subject);
            List<String> problems = incompatibilities(level, parsed, live, level.transitive());
            if (!problems.isEmpty()) {
                throw RegistryException.incompatible("Schema being registered is incompatible with an earlier schema "
                        + "for subject \"" + subject + "\", details: " + problems);
            }
            int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            int id = state.idForCanonical(canonical).orElseGet(() -> state.maxId() + 1);
            store.putSchema(subject, version, id, canonical, false);
            return id;
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- compatibility

    /**
     * Checks {@code request} against one version ({@code versionText} given) or against the versions the
     * subject's level requires ({@code versionText == null}).
     */
    CompatibilityResult checkCompatibility(String subject, String versionText, SchemaRequest request) {
        CompatibilityLevel level = state.effectiveLevel(subject);
        List<StoredSchema> live = state.versions(subject, false);
        List<StoredSchema> against;
        boolean transitive;
        if (versionText == null) {
            against = live;
            transitive = level.transitive();
        } else {
            int version = parseVersion(versionText);
            transitive = false;
            if (version == LATEST) {
                against = live.isEmpty() ? List.of() : List.of(live.get(live.size() - 1));
            } else {
                if (live.isEmpty()) {
                    throw RegistryException.subjectNotFound(subject);
                }
                StoredSchema target = state.version(subject, version)
                        .filter(s -> !s.deleted())
                        .orElseThrow(() -> RegistryException.versionNotFound(version));
                against = List.of(target);
            }
        }
        Schema parsed = validate(request);
        List<String> problems = incompatibilities(level, parsed, against, transitive);
        return new CompatibilityResult(problems.isEmpty(), problems);
    }

    /**
     * Why {@code candidate} may not follow {@code live} (ascending versions) under {@code level}: against all
     * of them when {@code transitive}, else against the last one. Empty when compatible.
     */
    private static List<String> incompatibilities(
            CompatibilityLevel level, Schema candidate, List<StoredSchema> live, boolean transitive) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || live.isEmpty()) {
            return problems;
        }
        List<StoredSchema> targets = transitive ? live : List.of(live.get(live.size() - 1));
        for (int i = targets.size() - 1; i >= 0; i--) {
            StoredSchema previous = targets.get(i);
            if (previous.parsed() == null) {
                continue;
            }
            List<String> found = level.incompatibilities(candidate, previous.parsed());
            if (!found.isEmpty()) {
                problems.addAll(found);
                problems.add("{oldSchemaVersion: " + previous.version() + "}");
                problems.add("{oldSchema: '" + previous.schema() + "'}");
            }
        }
        if (!problems.isEmpty()) {
            problems.add("{compatibility: '" + level.name() + "'}");
        }
        return problems;
    }

    private static Schema validate(SchemaRequest request) {
        if (request.schemaType() != null && !"AVRO".equalsIgnoreCase(request.schemaType())) {
            throw RegistryException.invalidSchema(
                    "Invalid schema type " + request.schemaType() + ": this registry serves AVRO schemas only");
        }
        if (request.hasReferences()) {
            throw RegistryException.invalidSchema("Schema references are not supported by this registry");
        }
        return AvroSchemas.parseRequest(request.schema());
    }

    // ---------------------------------------------------------------- deletes

    /** {@code DELETE /subjects/{subject}}: the versions deleted. */
    List<Integer> deleteSubject(String subject, boolean permanent) {
        writeLock.lock();
        try {
            List<StoredSchema> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            List<StoredSchema> live = all.stream().filter(s -> !s.deleted()).toList();
            List<Integer> deleted = new ArrayList<>();
            if (!permanent) {
                if (live.isEmpty()) {
                    throw RegistryException.subjectSoftDeleted(subject);
                }
                for (StoredSchema s : live) {
                    store.putSchema(s.subject(), s.version(), s.id(), s.schema(), true);
                    deleted.add(s.version());
                }
                if (state.subjectLevel(subject).isPresent()) {
                    store.putLevel(subject, null);
                }
            } else {
                if (!live.isEmpty()) {
                    throw RegistryException.subjectNotSoftDeleted(subject);
                }
                for (StoredSchema s : all) {
                    store.deleteSchemaPermanently(s.subject(), s.version());
                    deleted.add(s.version());
                }
            }
            return deleted;
        } finally {
            writeLock.unlock();
        }
    }

    /** {@code DELETE /subjects/{subject}/versions/{version}}: the version deleted. */
    int deleteVersion(String subject, String versionText, boolean permanent) {
        int version = parseVersion(versionText);
        writeLock.lock();
        try {
            List<StoredSchema> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            StoredSchema target;
            if (version == LATEST) {
                List<StoredSchema> live = all.stream().filter(s -> !s.deleted()).toList();
                target = permanent || live.isEmpty() ? all.get(all.size() - 1) : live.get(live.size() - 1);
            } else {
                target = state.version(subject, version).orElseThrow(() -> RegistryException.versionNotFound(version));
            }
            if (permanent) {
                if (!target.deleted()) {
                    throw RegistryException.versionNotSoftDeleted(subject, target.version());
                }
                store.deleteSchemaPermanently(subject, target.version());
            } else {
                if (target.deleted()) {
                    throw RegistryException.versionSoftDeleted(subject, target.version());
                }
                store.putSchema(subject, target.version(), target.id(), target.schema(), true);
                if (state.versions(subject, false).isEmpty()
                        && state.subjectLevel(subject).isPresent()) {
                    store.putLevel(subject, null);
                }
            }
            return target.version();
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- config

    CompatibilityLevel globalLevel() {
        return state.globalLevel().orElse(CompatibilityLevel.DEFAULT);
    }

    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = state.subjectLevel(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return globalLevel();
        }
        throw RegistryException.subjectLevelNotConfigured(subject);
    }

    /** Sets the level of {@code subject} (the global one when null). */
    CompatibilityLevel setLevel(String subject, String levelName) {
        CompatibilityLevel level =
                CompatibilityLevel.parse(levelName).orElseThrow(RegistryException::invalidCompatibilityLevel);
        writeLock.lock();
        try {
            store.putLevel(subject, level);
            return level;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes the global level (back to BACKWARD); returns the one it had. */
    CompatibilityLevel deleteGlobalLevel() {
        writeLock.lock();
        try {
            CompatibilityLevel previous = globalLevel();
            if (state.globalLevel().isPresent()) {
                store.putLevel(null, null);
            }
            return previous;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes the level of {@code subject}; returns the one it had. */
    CompatibilityLevel deleteSubjectLevel(String subject) {
        writeLock.lock();
        try {
            Optional<CompatibilityLevel> previous = state.subjectLevel(subject);
            if (previous.isEmpty()) {
                if (state.versions(subject, false).isEmpty()) {
                    throw RegistryException.subjectNotFound(subject);
                }
                throw RegistryException.subjectLevelNotConfigured(subject);
            }
            store.putLevel(subject, null);
            return previous.get();
        } finally {
            writeLock.unlock();
        }
    }
}
