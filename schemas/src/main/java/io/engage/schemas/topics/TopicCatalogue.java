package io.engage.schemas.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** The catalogue under a topic-name prefix ({@code topic.prefix}), with what provisioning and docs need. */
public final class TopicCatalogue {
    private final String prefix;

    public TopicCatalogue(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
        if (!this.prefix.matches("[a-zA-Z0-9._-]*")) {
            throw new IllegalArgumentException(
                    "topic.prefix may contain only letters, digits, '.', '_' and '-': '" + prefix + "'");
        }
    }

    /** The catalogue without a prefix. */
    public static TopicCatalogue unprefixed() {
        return new TopicCatalogue("");
    }

    public String prefix() {
        return prefix;
    }

    /** The full topic name of {@code spec}. */
    public String name(TopicSpec<?, ?> spec) {
        return prefix + spec.baseName();
    }

    /** The spec whose full name is {@code topic}. */
    public Optional<TopicSpec<?, ?>> byName(String topic) {
        return Topics.all().stream().filter(s -> name(s).equals(topic)).findFirst();
    }

    /** How long a compacted topic may keep a record that a later record of its key replaced (or a tombstone). */
    public static final java.time.Duration MAX_COMPACTION_LAG = java.time.Duration.ofDays(1);

    /** Topic-level configs that follow from the spec. */
    public static Map<String, String> configs(TopicSpec<?, ?> spec) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanup().policy());
        if (spec.retention() != null) {
            c.put(
                    TopicConfig.RETENTION_MS_CONFIG,
                    String.valueOf(spec.retention().toMillis()));
        }
        if (spec.compacted()) {
            // an erased participant's records are compacted away behind their tombstones within a day, not when the
            // active segment happens to roll (docs/privacy.md)
            c.put(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(MAX_COMPACTION_LAG.toMillis()));
        }
        return c;
    }

    /**
     * A {@link NewTopic} for the admin client with {@code replicationFactor} replicas and
     * {@code min.insync.replicas = max(1, replicationFactor - 1)}, so {@code acks=all} writes survive one broker down.
     */
    public NewTopic newTopic(TopicSpec<?, ?> spec, short replicationFactor) {
        Map<String, String> configs = new LinkedHashMap<>(configs(spec));
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(Math.max(1, replicationFactor - 1)));
        return new NewTopic(name(spec), spec.partitions(), replicationFactor).configs(configs);
    }

    /** NewTopics for the whole catalogue. */
    public List<NewTopic> newTopics(short replicationFactor) {
        return Topics.all().stream().map(s -> newTopic(s, replicationFactor)).toList();
    }

    /** The catalogue as a Markdown table (docs/topics.md embeds it; a test keeps them equal). */
    public String markdownTable() {
        StringBuilder b = new StringBuilder();
        b.append("| topic | key | value | partitions | cleanup | retention | what |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (TopicSpec<?, ?> s : Topics.all()) {
            b.append("| `")
                    .append(name(s))
                    .append("` | ")
                    .append(s.keyType().getSimpleName())
                    .append(" | ")
                    .append(s.valueType().getSimpleName())
                    .append(" | ")
                    .append(s.partitions())
                    .append(" | ")
                    .append(s.cleanup().policy())
                    .append(" | ")
                    .append(s.retention() == null ? "forever (compacted)" : days(s.retention()))
                    .append(" | ")
                    .append(s.description())
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String days(Duration d) {
        return d.toDays() + " days";
    }
}
