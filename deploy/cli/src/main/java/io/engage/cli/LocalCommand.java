package io.engage.cli;

import io.engage.config.EngageConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./engage local}: the local stack, up until Ctrl-C: the embedded broker and registry with the catalogue's
 * topics and schemas, the ingest process (gateway/admin API, normalisation) and the streams process (engagement
 * topology, query API).
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description =
                "Run the local stack (embedded Kafka, Schema Registry, ingest and streams processes) until interrupted;"
                        + " data persists in data.dir.")
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
        try {
            stack.startIngest().startStreams();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stack.close();
                            stopped.countDown();
                        },
                        "engage-local-shutdown"));
        printEndpoints(stack, out);
        stopped.await();
        return 0;
    }

    /** What runs where: addresses, the dashboard, and the tokens (docs/query.md, "Dashboard"). */
    static void printEndpoints(LocalStack stack, PrintWriter out) {
        EngageConfig config = stack.config();
        out.println("engage local: running (Ctrl-C to stop)");
        out.printf("  data directory    %s%n", stack.dataDir());
        out.printf("  Kafka             %s%n", config.bootstrapServers().orElseThrow());
        out.printf("  Schema Registry   %s%n", config.schemaRegistryUrl().orElseThrow());
        out.printf(
                "  topics            %d created, %d already present%n",
                stack.topics().created().size(), stack.topics().existing().size());
        out.printf(
                "  gateway/admin API http://localhost:%d (health: /health/ready, metrics: /metrics)%n",
                stack.ingest().port());
        out.printf("  query API         http://localhost:%d%n", stack.streams().port());
        out.printf(
                "  dashboard         http://localhost:%d/ (asks for the read token)%n",
                stack.streams().port());
        out.printf(
                "  tokens            %s (gateway, admin, read)%n",
                stack.dataDir().resolve(io.engage.config.ApiTokens.FILE_NAME));
        for (io.engage.config.ApiTokens.Role role : io.engage.config.ApiTokens.Role.values()) {
            out.printf("    %-8s %s%n", role, stack.tokens().first(role).orElse("(none)"));
        }
        out.flush();
    }
}
