package io.engage.cli;

import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import java.io.PrintWriter;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./engage topics ...}: provisioning from the topic catalogue. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Topic catalogue operations.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create every catalogue topic that does not exist yet on --bootstrap-servers, and report how existing"
                        + " topics differ from the catalogue (they are left as they are).",
                "--dry-run prints the plan and the differences without changing anything."
            })
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Option(names = "--dry-run", description = "Print the plan and what differs from the cluster; change nothing.")
        boolean dryRun;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                description = "Partitions of every partitioned topic (default: the catalogue's; single-partition"
                        + " topics keep one). Existing topics are never shrunk: without --partitions a live topic"
                        + " with more partitions than the default is kept as it is; an N below a live topic's"
                        + " count is refused (exit 2).")
        Integer partitions;

        @Option(
                names = "--replication-factor",
                paramLabel = "N",
                description = "Replicas of every new topic (default: min(3, brokers)); min.insync.replicas is N-1"
                        + " (at least 1).")
        Integer replicationFactor;

        @Override
        public Integer call() {
            EngageConfig config = options.resolve();
            if (config.bootstrapServers().isEmpty()) {
                throw new UserException(
                        "topics create needs --bootstrap-servers (or bootstrap.servers in the config file or ENGAGE_BOOTSTRAP_SERVERS)");
            }
            TopicProvisioner.Sizing sizing;
            try {
                sizing = new TopicProvisioner.Sizing(
                        partitions == null ? OptionalInt.empty() : OptionalInt.of(partitions),
                        replicationFactor == null ? OptionalInt.empty() : OptionalInt.of(replicationFactor));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
                TopicProvisioner provisioner = new TopicProvisioner(admin, new TopicCatalogue(config.topicPrefix()));
                TopicProvisioner.Plan plan;
                try {
                    plan = provisioner.plan(sizing);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                print(plan, config, out);
                if (!plan.shrinking().isEmpty()) {
                    String single = plan.shrinking().stream()
                            .filter(t -> !t.partitionsGiven() && t.partitions() == 1)
                            .map(TopicProvisioner.Planned::name)
                            .collect(Collectors.joining(", "));
                    if (!single.isEmpty()) {
                        throw new UsageException(
                                "refusing to shrink " + single + ": a single-partition topic has more"
                                        + " than one live partition (its records must stay in one order; recreate it with one)");
                    }
                    throw new UsageException("refusing to shrink "
                            + plan.shrinking().stream()
                                    .map(TopicProvisioner.Planned::name)
                                    .collect(Collectors.joining(", "))
                            + ": Kafka cannot remove partitions (choose --partitions of at least the live count)");
                }
                long differing = plan.topics().stream()
                        .filter(t -> !t.differences().isEmpty())
                        .count();
                if (dryRun) {
                    out.printf(
                            "dry run: %d to create, %d present (%d differ from the catalogue); nothing changed%n",
                            plan.toCreate().size(),
                            plan.topics().size() - plan.toCreate().size(),
                            differing);
                } else {
                    TopicProvisioner.Result r = provisioner.apply(plan);
                    r.created().forEach(t -> out.println("created  " + t));
                    out.printf(
                            "%d created, %d already present (%d differ from the catalogue and were left as they"
                                    + " are)%n",
                            r.created().size(), r.existing().size(), differing);
                }
            }
            out.flush();
            return 0;
        }

        /** One line per topic: what would be created, and how each existing topic differs. */
        private static void print(TopicProvisioner.Plan plan, EngageConfig config, PrintWriter out) {
            out.printf(
                    "cluster %s: %d broker%s%n",
                    config.bootstrapServers().orElseThrow(), plan.brokers(), plan.brokers() == 1 ? "" : "s");
            int width = plan.topics().stream()
                    .mapToInt(t -> t.name().length())
                    .max()
                    .orElse(10);
            for (TopicProvisioner.Planned t : plan.topics()) {
                String what = t.partitions() + " partitions, " + t.replicationFactor() + " replicas, "
                        + t.configs().entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(", "));
                if (!t.exists()) {
                    out.printf("create   %-" + width + "s  %s%n", t.name(), what);
                } else if (t.differences().isEmpty()) {
                    out.printf("exists   %-" + width + "s  as in the catalogue%n", t.name());
                } else {
                    // "kept": the only difference is a topic grown beyond the default (docs/topics.md, "Provisioning
                    // a cluster"); it is left as it is and does not fail the command
                    String status = t.shrinks()
                            ? "SHRINK! "
                            : t.keepsMorePartitions() && t.differences().size() == 1 ? "kept    " : "differs ";
                    out.printf("%s %-" + width + "s  %s%n", status, t.name(), String.join("; ", t.differences()));
                }
            }
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Print the topic catalogue (names under topic.prefix).")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            EngageConfig config = options.resolve();
            spec.commandLine().getOut().print(new TopicCatalogue(config.topicPrefix()).markdownTable());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
