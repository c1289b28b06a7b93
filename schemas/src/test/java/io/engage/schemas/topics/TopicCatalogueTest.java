package io.engage.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalogue keeps docs/topics.md: names, compaction, retention, keys and co-partitioning. */
class TopicCatalogueTest {
    /** docs/topics.md, in its order. */
    static final List<String> REQUIRED_TOPICS = List.of(
            "readings.raw",
            "readings.rejected",
            "readings.normalized",
            "participants",
            "participants.erasures",
            "devices",
            "programs",
            "teams",
            "social.cheers",
            "activity.daily",
            "goals.achieved",
            "streaks",
            "engagement.points",
            "coaching.nudges",
            "donations",
            "standings",
            "_schemas");

    private static final TopicCatalogue CATALOGUE = TopicCatalogue.unprefixed();

    private static List<String> names(TopicCatalogue c) {
        return Topics.all().stream().map(c::name).toList();
    }

    @Test
    void everySpecTopicIsInTheCatalogueWithItsExactName() {
        assertThat(names(CATALOGUE)).containsExactlyElementsOf(REQUIRED_TOPICS);
        for (String name : REQUIRED_TOPICS) {
            assertThat(CATALOGUE.byName(name)).as(name).isPresent();
        }
        assertThat(CATALOGUE.byName("readings")).isEmpty();
    }

    @Test
    void namesAreValidKafkaTopicNames() {
        for (String name : names(new TopicCatalogue("engage-prod."))) {
            Topic.validate(name);
        }
    }

    @Test
    void compactedTopicsAreExactlyReferenceDataAndTables() {
        Set<String> compacted = Topics.all().stream()
                .filter(TopicSpec::compacted)
                .map(CATALOGUE::name)
                .collect(Collectors.toSet());
        assertThat(compacted)
                .containsExactlyInAnyOrder(
                        "participants", "devices", "programs", "teams", "activity.daily", "standings", "_schemas");
        for (TopicSpec<?, ?> s : Topics.all()) {
            if (s.compacted()) {
                assertThat(s.retention()).as(s.baseName()).isNull();
                assertThat(TopicCatalogue.configs(s))
                        .containsEntry("cleanup.policy", "compact")
                        .containsEntry("max.compaction.lag.ms", "86400000")
                        .doesNotContainKey("retention.ms");
            } else {
                assertThat(s.cleanup()).isEqualTo(Cleanup.DELETE);
                assertThat(s.retention()).as(s.baseName()).isPositive();
                assertThat(TopicCatalogue.configs(s))
                        .containsEntry("cleanup.policy", "delete")
                        .containsEntry(
                                "retention.ms", String.valueOf(s.retention().toMillis()));
            }
        }
    }

    @Test
    void retentionDefaultsOfTheSpec() {
        assertThat(Topics.READINGS_RAW.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(Topics.READINGS_NORMALIZED.retention()).isEqualTo(Duration.ofDays(35));
        assertThat(TopicCatalogue.configs(Topics.READINGS_RAW)).containsEntry("retention.ms", "604800000");
        assertThat(TopicCatalogue.configs(Topics.READINGS_NORMALIZED)).containsEntry("retention.ms", "3024000000");
    }

    @Test
    void keysFollowTheSpec() {
        assertThat(Topics.READINGS_RAW.keyType()).as("device id").isEqualTo(String.class);
        assertThat(Topics.READINGS_RAW.description()).contains("device id");
        assertThat(Topics.READINGS_NORMALIZED.description()).contains("participant id");
        assertThat(Topics.DONATIONS.description()).contains("programme id");
    }

    @Test
    void participantKeyedTopicsShareOnePartitionCount() {
        List<TopicSpec<?, ?>> participantKeyed = List.of(
                Topics.READINGS_NORMALIZED,
                Topics.PARTICIPANTS,
                Topics.PARTICIPANT_ERASURES,
                Topics.SOCIAL_CHEERS,
                Topics.ACTIVITY_DAILY,
                Topics.GOALS_ACHIEVED,
                Topics.STREAKS,
                Topics.ENGAGEMENT_POINTS,
                Topics.COACHING_NUDGES);
        assertThat(participantKeyed).extracting(TopicSpec::partitions).containsOnly(Topics.PARTICIPANT_PARTITIONS);
        // and every topic whose description says it is keyed by participant id is among them
        assertThat(Topics.all().stream()
                        .filter(s -> s.description().contains("key: participant id"))
                        .toList())
                .isSubsetOf(participantKeyed);
        assertThat(Topics.SCHEMAS.partitions())
                .as("Schema Registry storage is one partition")
                .isEqualTo(1);
    }

    @Test
    void thePrefixAppliesToEveryName() {
        TopicCatalogue prefixed = new TopicCatalogue("acme-");
        assertThat(prefixed.prefix()).isEqualTo("acme-");
        assertThat(names(prefixed))
                .containsExactlyElementsOf(
                        REQUIRED_TOPICS.stream().map(n -> "acme-" + n).toList());
        assertThat(prefixed.byName("acme-readings.raw")).contains(Topics.READINGS_RAW);
        assertThat(prefixed.byName("readings.raw")).isEmpty();
        List<NewTopic> created = prefixed.newTopics((short) 1);
        assertThat(created)
                .extracting(NewTopic::name)
                .allMatch(n -> n.startsWith("acme-"))
                .hasSize(REQUIRED_TOPICS.size());
        NewTopic raw = prefixed.newTopic(Topics.READINGS_RAW, (short) 3);
        assertThat(raw.numPartitions()).isEqualTo(Topics.READINGS_RAW.partitions());
        assertThat(raw.replicationFactor()).isEqualTo((short) 3);
        assertThat(raw.configs()).containsEntry("cleanup.policy", "delete");
        assertThat(new TopicCatalogue(null).prefix()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad prefix", "a/b", "ümlaut.", "tab\t", "x:y", "semi;"})
    void anInvalidPrefixIsRejected(String prefix) {
        assertThatThrownBy(() -> new TopicCatalogue(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic.prefix");
    }

    @Test
    void specsValidateThemselves() {
        assertThatThrownBy(() -> new TopicSpec<>("x", String.class, String.class, 0, Cleanup.COMPACT, null, ""))
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> new TopicSpec<>("x", String.class, String.class, 1, Cleanup.DELETE, null, ""))
                .hasMessageContaining("retention");
    }

    @Test
    void markdownTableHasARowPerTopic() {
        String table = CATALOGUE.markdownTable();
        assertThat(table.lines()).hasSize(2 + REQUIRED_TOPICS.size());
        assertThat(table)
                .contains("| `readings.raw` | String | RawReading | 6 | delete | 7 days |")
                .contains("| `activity.daily` | ParticipantDay | DailyActivity | 6 | compact | forever (compacted) |");
    }
}
