package io.engage.cli;

import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A production process ({@code ingest}, {@code streams}) run against a Kafka cluster and a Schema Registry until
 * stopped: configuration, the required addresses, tokens from {@code auth.token.*}, one banner line.
 */
abstract class ClusterProcessCommand<P extends AutoCloseable> implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    /** Starts the process. */
    abstract P start(EngageConfig config, ApiTokens tokens, Clock clock);

    /** Its HTTP port, for the banner. */
    abstract int port(P process);

    /** What listens on that port, for the banner. */
    abstract String what();

    @Override
    public Integer call() throws InterruptedException {
        String name = spec.name();
        EngageConfig config = options.resolve();
        if (config.bootstrapServers().isEmpty() || config.schemaRegistryUrl().isEmpty()) {
            throw new UserException(name + " needs --bootstrap-servers and --schema-registry-url (or ./engage local for"
                    + " everything on this machine)");
        }
        P process = start(config, ApiTokens.fromConfig(config), Clock.systemUTC());
        return Processes.runUntilStopped(
                process,
                name,
                spec.commandLine().getOut(),
                String.format(
                        "engage %s: %s on port %d (Kafka %s, registry %s, %s; Ctrl-C to stop)",
                        name,
                        what(),
                        port(process),
                        config.bootstrapServers().get(),
                        config.schemaRegistryUrl().get(),
                        config.processingGuarantee()));
    }
}
