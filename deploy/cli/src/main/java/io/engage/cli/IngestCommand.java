package io.engage.cli;

import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.ingest.IngestProcess;
import java.time.Clock;
import picocli.CommandLine.Command;

/** {@code ./engage ingest}: the production ingest process against a Kafka cluster and a Schema Registry. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Run the ingest process (gateway and admin HTTP API on ingest.port, normalisation) against"
                + " --bootstrap-servers and --schema-registry-url; tokens from auth.token.gateway / auth.token.admin"
                + " (e.g. ENGAGE_AUTH_TOKEN_GATEWAY).")
final class IngestCommand extends ClusterProcessCommand<IngestProcess> {
    @Override
    IngestProcess start(EngageConfig config, ApiTokens tokens, Clock clock) {
        return IngestProcess.start(config, tokens, clock);
    }

    @Override
    int port(IngestProcess process) {
        return process.port();
    }

    @Override
    String what() {
        return "gateway/admin API";
    }
}
