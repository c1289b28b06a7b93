package io.engage.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.engage.config.EngageConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./engage local}: the local stack, up until Ctrl-C. Today it runs the embedded broker and registry with
 * the catalogue's topics and schemas; the ingest and streams processes join it with their issues.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the local stack (embedded Kafka and Schema Registry) until interrupted; data persists in data.dir.")
final class LocalCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--fresh", description = "Wipe the data directory first.")
    boolean fresh;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        EngageConfig base = options.resolve();
        LocalStack stack = LocalStack.start(base, fresh);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "engage-local-shutdown"));
        EngageConfig config = stack.config();
        out.println("engage local: running (Ctrl-C to stop)");
        out.printf("  data directory    %s%n", stack.dataDir());
        out.printf("  Kafka             %s%n", config.bootstrapServers().orElseThrow());
        out.printf("  Schema Registry   %s%n", config.schemaRegistryUrl().orElseThrow());
        out.printf("  topics            %d created, %d already present%n", stack.topics().created().size(), stack.topics().existing().size());
        out.println("  gateway and query APIs: not available yet (they arrive with the ingestion and activity issues)");
        out.flush();
        stopped.await();
        return 0;
    }
}
