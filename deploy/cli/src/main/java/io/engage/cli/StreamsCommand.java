package io.engage.cli;

import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.streams.StreamsProcess;
import java.time.Clock;
import picocli.CommandLine.Command;

/** {@code ./engage streams}: the engagement topology and query API against a Kafka cluster; run more to scale out. */
@Command(
        name = "streams",
        mixinStandardHelpOptions = true,
        description =
                "Run the streams process (engagement topology, query API on query.port) against --bootstrap-servers and"
                        + " --schema-registry-url; the query token comes from auth.token.read (e.g. ENGAGE_AUTH_TOKEN_READ).")
final class StreamsCommand extends ClusterProcessCommand<StreamsProcess> {
    @Override
    StreamsProcess start(EngageConfig config, ApiTokens tokens, Clock clock) {
        return StreamsProcess.start(config, tokens, clock);
    }

    @Override
    int port(StreamsProcess process) {
        return process.port();
    }

    @Override
    String what() {
        return "query API";
    }
}
