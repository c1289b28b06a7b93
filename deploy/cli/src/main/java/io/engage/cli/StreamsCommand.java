package io.engage.cli;

import java.time.Clock;
import java.util.concurrent.Callable;

import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.streams.StreamsProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./engage streams}: the engagement topology and query API against a Kafka cluster; run more to scale out. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Run the streams process (engagement topology, query API on query.port) against --bootstrap-servers and"
                + " --schema-registry-url; the query token comes from auth.token.read (e.g. ENGAGE_AUTH_TOKEN_READ).")
final class StreamsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        EngageConfig config = options.resolve();
        if (config.bootstrapServers().isEmpty() || config.schemaRegistryUrl().isEmpty()) {
            throw new UserException("streams needs --bootstrap-servers and --schema-registry-url (or ./engage local for"
                    + " everything on this machine)");
        }
        StreamsProcess streams = StreamsProcess.start(config, ApiTokens.fromConfig(config), Clock.systemUTC());
        return Processes.runUntilStopped(streams, "streams", spec.commandLine().getOut(), String.format(
                "engage streams: query API on port %d (Kafka %s, registry %s; Ctrl-C to stop)",
                streams.port(), config.bootstrapServers().get(), config.schemaRegistryUrl().get()));
    }
}
