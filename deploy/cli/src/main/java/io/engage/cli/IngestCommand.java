package io.engage.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.ingest.IngestProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./engage ingest}: the production ingest process against a Kafka cluster and a Schema Registry. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run the ingest process (gateway and admin HTTP API on ingest.port) against --bootstrap-servers and"
                + " --schema-registry-url; tokens from auth.token.gateway / auth.token.admin (e.g. ENGAGE_AUTH_TOKEN_GATEWAY).")
final class IngestCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        EngageConfig config = options.resolve();
        if (config.bootstrapServers().isEmpty() || config.schemaRegistryUrl().isEmpty()) {
            throw new UserException("ingest needs --bootstrap-servers and --schema-registry-url (or ./engage local for"
                    + " everything on this machine)");
        }
        IngestProcess ingest = IngestProcess.start(config, ApiTokens.fromConfig(config), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ingest.close();
            stopped.countDown();
        }, "engage-ingest-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("engage ingest: gateway/admin API on port %d (Kafka %s, registry %s; Ctrl-C to stop)%n",
                ingest.port(), config.bootstrapServers().get(), config.schemaRegistryUrl().get());
        out.flush();
        stopped.await();
        return 0;
    }
}
