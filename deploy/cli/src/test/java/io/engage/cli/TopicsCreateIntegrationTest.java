package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./engage topics create}: the plan, --dry-run, production sizes, differences reported, never a shrink. */
@Tag("integration")
class TopicsCreateIntegrationTest {

    @Test
    void dryRunPlansCreateSizesAndExistingTopicsAreComparedNeverShrunk(@TempDir Path tmp) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            String bootstrap = kafka.bootstrapServers();
            int catalogue = Topics.all().size();

            CliRun plan =
                    CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--dry-run", "--partitions", "3");
            assertThat(plan.exitCode()).as(plan.err()).isZero();
            assertThat(plan.out())
                    .contains("cluster " + bootstrap + ": 1 broker")
                    .containsPattern("create +readings\\.raw +3 partitions, 1 replicas, cleanup\\.policy=delete")
                    .containsPattern("create +_schemas +1 partitions")
                    .contains("dry run: " + catalogue + " to create, 0 present");
            assertThat(names(admin)).as("a dry run creates nothing").noneMatch(n -> n.equals("readings.raw"));

            CliRun create = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--partitions", "3");
            assertThat(create.exitCode()).as(create.err()).isZero();
            assertThat(create.out())
                    .contains("created  readings.raw")
                    .contains(catalogue + " created, 0 already present");
            assertThat(admin.describeTopics(List.of("readings.raw", "_schemas"))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS))
                    .hasEntrySatisfying(
                            "readings.raw", d -> assertThat(d.partitions()).hasSize(3))
                    .hasEntrySatisfying(
                            "_schemas", d -> assertThat(d.partitions()).hasSize(1));

            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, "readings.rejected"),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", "86400000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            CliRun again =
                    CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--dry-run", "--partitions", "3");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out())
                    .containsPattern("exists +readings\\.raw +as in the catalogue")
                    .containsPattern("differs +readings\\.rejected +retention\\.ms 86400000 live, 3024000000 wanted")
                    .contains("dry run: 0 to create, " + catalogue + " present (1 differ from the catalogue)");

            CliRun grow = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--dry-run");
            assertThat(grow.out())
                    .as("the catalogue's 6 partitions against the 3 created")
                    .containsPattern("differs +readings\\.raw +partitions 3 live, 6 wanted");

            CliRun shrink = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--partitions", "2");
            assertThat(shrink.exitCode()).isEqualTo(EngageCli.USAGE_ERROR);
            assertThat(shrink.err())
                    .contains("refusing to shrink readings.raw")
                    .contains("Kafka cannot remove partitions");
            assertThat(shrink.out()).containsPattern("SHRINK! +readings\\.raw +partitions 3 live, 2 wanted");

            CliRun replicas = CliRun.of(
                    "topics", "create", "--bootstrap-servers", bootstrap, "--dry-run", "--replication-factor", "3");
            assertThat(replicas.exitCode()).isEqualTo(EngageCli.USAGE_ERROR);
            assertThat(replicas.err()).contains("replication factor 3 needs at least 3 brokers; the cluster has 1");

            CliRun zero = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--partitions", "0");
            assertThat(zero.exitCode()).isEqualTo(EngageCli.USAGE_ERROR);
            assertThat(zero.err()).contains("partitions must be at least 1");
        }
    }

    /**
     * A topic an operator grew beyond the catalogue's 6 partitions: a redeploy without --partitions keeps it and
     * succeeds (the compose stack and the k8s Job run exactly that); an explicit smaller --partitions is refused before
     * anything is created, with --dry-run too.
     */
    @Test
    void aGrownTopicIsKeptWithoutPartitionsAndRefusedWithFewerPartitions(@TempDir Path tmp) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            String bootstrap = kafka.bootstrapServers();
            int catalogue = Topics.all().size();
            // readings.raw as the catalogue makes it, except for 12 partitions instead of 6
            admin.createTopics(List.of(new NewTopic("readings.raw", 12, (short) 1)
                            .configs(TopicCatalogue.unprefixed()
                                    .newTopic(Topics.READINGS_RAW, (short) 1)
                                    .configs())))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            CliRun refusedDry =
                    CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--dry-run", "--partitions", "8");
            assertThat(refusedDry.exitCode()).as(refusedDry.out()).isEqualTo(EngageCli.USAGE_ERROR);
            assertThat(refusedDry.err()).contains("refusing to shrink readings.raw");
            assertThat(refusedDry.out()).containsPattern("SHRINK! +readings\\.raw +partitions 12 live, 8 wanted");
            assertThat(names(admin)).containsExactly("readings.raw");

            CliRun refused = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--partitions", "8");
            assertThat(refused.exitCode()).as(refused.out()).isEqualTo(EngageCli.USAGE_ERROR);
            assertThat(refused.err())
                    .contains("refusing to shrink readings.raw")
                    .contains("Kafka cannot remove partitions");
            assertThat(names(admin))
                    .as("a refused plan creates none of the missing topics")
                    .containsExactly("readings.raw");
            assertThat(partitionsOf(admin, "readings.raw")).isEqualTo(12);

            CliRun kept = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap);
            assertThat(kept.exitCode()).as(kept.err()).isZero();
            assertThat(kept.out())
                    .containsPattern(
                            "kept +readings\\.raw +keeps 12 partitions \\(more than the default 6; not shrunk\\)")
                    .doesNotContain("SHRINK!")
                    .contains((catalogue - 1) + " created, 1 already present (1 differ from the catalogue");
            assertThat(partitionsOf(admin, "readings.raw")).isEqualTo(12);
            assertThat(partitionsOf(admin, "readings.normalized")).isEqualTo(Topics.PARTICIPANT_PARTITIONS);

            CliRun redeploy = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap);
            assertThat(redeploy.exitCode()).as(redeploy.err()).isZero();
            assertThat(redeploy.out())
                    .containsPattern("kept +readings\\.raw +keeps 12 partitions")
                    .contains("0 created, " + catalogue + " already present (1 differ from the catalogue");
            assertThat(partitionsOf(admin, "readings.raw")).isEqualTo(12);

            // a single-partition topic is never "kept" with more: the registry refuses to start on such a _schemas
            admin.deleteTopics(List.of("_schemas")).all().get(30, TimeUnit.SECONDS);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !names(admin).contains("_schemas"));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> admin.createTopics(List.of(new NewTopic("_schemas", 3, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS));
            CliRun schemas = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap);
            assertThat(schemas.exitCode()).as(schemas.out()).isEqualTo(EngageCli.USAGE_ERROR);
            assertThat(schemas.out()).containsPattern("SHRINK! +_schemas +partitions 3 live, 1 wanted");
            assertThat(schemas.err()).contains("refusing to shrink _schemas: a single-partition topic");
        }
    }

    private static int partitionsOf(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
    }

    private static Set<String> names(Admin admin) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
}
