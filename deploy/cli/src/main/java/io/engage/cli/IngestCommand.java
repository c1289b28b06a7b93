package io.engage.cli;

import java.time.Clock;
import java.util.concurrent.Callable;

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
        return Processes.runUntilStopped(ingest, "ingest", spec.commandLine().getOut(), String.format(
                "engage ingest: gateway/admin API on port %d (Kafka %s, registry %s; Ctrl-C to stop)",
                ingest.port(), config.bootstrapServers().get(), config.schemaRegistryUrl().get()));
    }
}
