package io.engage.cli;

import io.engage.config.EngageConfig;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./engage registry}: the embedded Confluent-compatible Schema Registry alone. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description =
                "Run the embedded Schema Registry (Confluent REST API) until interrupted. Without --bootstrap-servers"
                        + " it also starts an embedded broker in data.dir.")
final class RegistryCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Registry port (same as --registry-port; default 8081).")
    Integer port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        EngageConfig config = options.resolve();
        int registryPort = port != null ? port : config.intValue(EngageConfig.REGISTRY_PORT);
        EmbeddedKafka kafka = null;
        String bootstrap = config.bootstrapServers().orElse(null);
        if (bootstrap == null) {
            Path dir = DataDirectory.prepare(config.dataDir(), false);
            kafka = EmbeddedKafka.start(dir, config.intValue(EngageConfig.BROKER_PORT));
            bootstrap = kafka.bootstrapServers();
        }
        EmbeddedSchemaRegistry registry;
        try {
            registry = EmbeddedSchemaRegistry.start(
                    bootstrap,
                    registryPort,
                    new TopicCatalogue(config.topicPrefix()).name(Topics.SCHEMAS),
                    java.util.Map.of(),
                    config.get(EngageConfig.REGISTRY_BASIC_AUTH_USER_INFO));
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
        EmbeddedKafka ownedKafka = kafka;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            registry.close();
                            if (ownedKafka != null) {
                                ownedKafka.close();
                            }
                            stopped.countDown();
                        },
                        "engage-registry-shutdown"));
        out.printf(
                "engage registry: serving %s (storage: %s on %s; Ctrl-C to stop)%n",
                registry.url(), new TopicCatalogue(config.topicPrefix()).name(Topics.SCHEMAS), bootstrap);
        out.flush();
        stopped.await();
        return 0;
    }
}
