package io.engage.cli;

import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
            description = "Create every catalogue topic that does not exist yet on --bootstrap-servers.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            EngageConfig config = options.resolve();
            if (config.bootstrapServers().isEmpty()) {
                throw new UserException(
                        "topics create needs --bootstrap-servers (or bootstrap.servers in the config file or ENGAGE_BOOTSTRAP_SERVERS)");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
                TopicProvisioner.Result r =
                        new TopicProvisioner(admin, new TopicCatalogue(config.topicPrefix())).createMissing();
                r.created().forEach(t -> out.println("created  " + t));
                r.existing().forEach(t -> out.println("exists   " + t));
                out.printf(
                        "%d created, %d already present%n",
                        r.created().size(), r.existing().size());
            }
            out.flush();
            return 0;
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
