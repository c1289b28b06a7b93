package io.engage.embedded.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's state in memory: what the schemas topic says, applied record by record by the store's
 * reader thread. Every method is synchronized; the lists returned are copies.
 */
final class RegistryState {
    /** One global id: the schema text and how many subject versions (soft-deleted included) use it. */
    record IdEntry(int id, String schema, String canonical, int usages) {}

    private final Map<String, TreeMap<Integer, StoredSchema>> subjects = new TreeMap<>();
    private final Map<Integer, IdEntry> ids = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    // ---- applied by the reader thread ----

    synchronized void putSchema(StoredSchema s) {
        StoredSchema old =
                subjects.computeIfAbsent(s.subject(), k -> new TreeMap<>()).put(s.version(), s);
        if (old != null) {
            release(old);
        }
        IdEntry entry = ids.get(s.id());
        ids.put(
                s.id(),
                entry == null
                        ? new IdEntry(s.id(), s.schema(), s.canonical(), 1)
                        : new IdEntry(entry.id(), entry.schema(), entry.canonical(), entry.usages() + 1));
        idsByCanonical.putIfAbsent(s.canonical(), s.id());
        maxId = Math.max(maxId, s.id());
    }

    synchronized void removeSchema(String subject, int version) {
        TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
        if (versions == null) {
            return;
        }
        StoredSchema old = versions.remove(version);
        if (versions.isEmpty()) {
            subjects.remove(subject);
        }
        if (old != null) {
            release(old);
        }
    }

    /** An id used by a record this registry does not serve: never handed out. */
    synchronized void reserveId(int id) {
        maxId = Math.max(maxId, id);
    }

    /** A Confluent {@code DELETE_SUBJECT} record: every version up to {@code upToVersion} is soft-deleted. */
    synchronized void softDeleteSubject(String subject, int upToVersion) {
        TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
        if (versions != null) {
            versions.headMap(upToVersion, true).replaceAll((v, s) -> s.asDeleted());
        }
    }

    /** Sets ({@code level != null}) or removes the level of {@code subject}, or the global one when it is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
        }
    }

    private void release(StoredSchema old) {
        IdEntry entry = ids.get(old.id());
        if (entry == null) {
            return;
        }
        if (entry.usages() <= 1) {
            ids.remove(old.id());
            idsByCanonical.remove(entry.canonical(), old.id());
            if (!old.canonical().equals(entry.canonical())) {
                idsByCanonical.remove(old.canonical(), old.id());
            }
        } else {
            ids.put(old.id(), new IdEntry(entry.id(), entry.schema(), entry.canonical(), entry.usages() - 1));
        }
    }

    // ---- queries ----

    /** The subject's versions in ascending order; soft-deleted ones only when {@code includeDeleted}. */
    synchronized List<StoredSchema> versions(String subject, boolean includeDeleted) {
        TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
        List<StoredSchema> out = new ArrayList<>();
        if (versions != null) {
            for (StoredSchema s : versions.values()) {
                if (includeDeleted || !s.deleted()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** One version, soft-deleted or not. */
    synchronized Optional<StoredSchema> version(String subject, int version) {
        TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    /** Subjects with at least one version (soft-deleted ones count when {@code includeDeleted}), sorted. */
    synchronized List<String> subjects(boolean includeDeleted) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, StoredSchema>> e : subjects.entrySet()) {
            if (includeDeleted || e.getValue().values().stream().anyMatch(s -> !s.deleted())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Every stored version, by subject then version. */
    synchronized List<StoredSchema> all(boolean includeDeleted) {
        List<StoredSchema> out = new ArrayList<>();
        for (TreeMap<Integer, StoredSchema> versions : subjects.values()) {
            for (StoredSchema s : versions.values()) {
                if (includeDeleted || !s.deleted()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    synchronized Optional<IdEntry> byId(int id) {
        return Optional.ofNullable(ids.get(id));
    }

    /** The versions using {@code id}, by subject then version. */
    synchronized List<StoredSchema> usages(int id, boolean includeDeleted) {
        List<StoredSchema> out = new ArrayList<>();
        for (StoredSchema s : all(includeDeleted)) {
            if (s.id() == id) {
                out.add(s);
            }
        }
        return out;
    }

    synchronized Optional<Integer> idForCanonical(String canonical) {
        return Optional.ofNullable(idsByCanonical.get(canonical));
    }

    /** The highest id this registry has seen (ids are never reused while it runs). */
    synchronized int maxId() {
        return maxId;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized Optional<CompatibilityLevel> globalLevel() {
        return Optional.ofNullable(globalLevel);
    }

    /** The subject's own level, else the global one, else BACKWARD. */
    synchronized CompatibilityLevel effectiveLevel(String subject) {
        CompatibilityLevel level = subject == null ? null : subjectLevels.get(subject);
        if (level != null) {
            return level;
        }
        return globalLevel != null ? globalLevel : CompatibilityLevel.DEFAULT;
    }
}
