package io.engage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.simulator.HttpReadingSink;
import io.engage.simulator.KafkaReadingSink;
import io.engage.simulator.Pace;
import io.engage.simulator.Population;
import io.engage.simulator.ReadingSink;
import io.engage.simulator.SimulationSpec;
import io.engage.simulator.SimulationSummary;
import io.engage.simulator.Simulator;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./engage simulate}: simulated participants and devices sending readings over HTTP or Kafka. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Simulate participants wearing trackers and glasses in many time zones; send their readings to the"
                        + " gateway API (default) or straight to Kafka. Deterministic for a seed.")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--participants", defaultValue = "100", description = "Participants (default ${DEFAULT-VALUE}).")
    int participants;

    @Option(names = "--teams", defaultValue = "10", description = "Teams (default ${DEFAULT-VALUE}).")
    int teams;

    @Option(names = "--program", defaultValue = "prog-sim", description = "Programme id (default ${DEFAULT-VALUE}).")
    String program;

    @Option(
            names = "--days",
            defaultValue = "6",
            description = "Days of data ending now (default ${DEFAULT-VALUE}; at most the late horizon).")
    int days;

    @Option(
            names = "--pace",
            defaultValue = "max",
            description = "max (as fast as possible), live, N/s (readings per second) or xN (N times real time).")
    String pace;

    @Option(
            names = "--target",
            defaultValue = "http",
            description = "http (the gateway API) or kafka (readings.raw directly).")
    String target;

    @Option(names = "--gateway-url", description = "Gateway base URL (default http://localhost:<ingest.port>).")
    String gatewayUrl;

    @Option(
            names = "--gateway-token",
            description = "Gateway token (default: auth.token.gateway, else data.dir/tokens.json).")
    String gatewayToken;

    @Option(
            names = "--admin-token",
            description = "Admin token for --setup (default: auth.token.admin, else data.dir/tokens.json).")
    String adminToken;

    @Option(
            names = "--setup",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Create the programme, teams, participants and device pairings through the admin API first (default on).")
    boolean setup;

    @Option(names = "--duplicate-rate", defaultValue = "0.02", description = "Share of readings re-sent exactly.")
    double duplicateRate;

    @Option(names = "--correction-rate", defaultValue = "0.01", description = "Share of readings corrected later.")
    double correctionRate;

    @Option(
            names = "--late-sync-rate",
            defaultValue = "0.05",
            description = "Share of device-weeks synced at once, late.")
    double lateSyncRate;

    @Option(
            names = "--invalid-rate",
            defaultValue = "0.01",
            description = "Share of invalid readings (every reason code).")
    double invalidRate;

    @Option(
            names = "--concurrency",
            defaultValue = "16",
            description = "Concurrent HTTP requests (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EngageConfig config = options.resolve();
        PrintWriter out = spec.commandLine().getOut();
        SimulationSpec simulation = SimulationSpec.builder()
                .seed(seed)
                .participants(participants)
                .teams(teams)
                .programId(program)
                .endingAt(Instant.now(), days)
                .pace(Pace.parse(pace))
                .duplicateRate(duplicateRate)
                .correctionRate(correctionRate)
                .lateSyncRate(lateSyncRate)
                .invalidRate(invalidRate)
                .lateHorizon(config.lateHorizon())
                .clockSkewTolerance(config.clockSkewTolerance())
                .build();
        Population population = Population.of(simulation);
        String base = gatewayUrl != null ? gatewayUrl : "http://localhost:" + config.get(EngageConfig.INGEST_PORT);
        if (setup) {
            String admin = token(config, ApiTokens.Role.admin, adminToken);
            int n = new ReferenceDataPublisher(base, admin).publish(population);
            out.printf("engage simulate: set up %d reference records through %s%n", n, base);
            out.flush();
        }
        SimulationSummary summary;
        try (ReadingSink sink = sink(config, base)) {
            summary = Simulator.builder(simulation)
                    .population(population)
                    .build()
                    .run(sink, p -> {
                        out.println("  " + p.line());
                        out.flush();
                    });
        }
        out.println(summary.render());
        out.flush();
        return summary.failed() == 0 ? 0 : 1;
    }

    private ReadingSink sink(EngageConfig config, String base) {
        return switch (target) {
            case "http" ->
                HttpReadingSink.builder(URI.create(base), token(config, ApiTokens.Role.gateway, gatewayToken))
                        .concurrency(concurrency)
                        .build();
            case "kafka" -> {
                if (config.bootstrapServers().isEmpty()
                        || config.schemaRegistryUrl().isEmpty()) {
                    throw new UserException("--target kafka needs --bootstrap-servers and --schema-registry-url");
                }
                yield new KafkaReadingSink(config);
            }
            default -> throw new UserException("--target must be http or kafka, was '" + target + "'");
        };
    }

    /** A token from the flag, the configuration, or the local stack's tokens.json. */
    static String token(EngageConfig config, ApiTokens.Role role, String flag) {
        if (flag != null) {
            return flag;
        }
        var configured = ApiTokens.fromConfig(config).first(role);
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = config.dataDir().resolve(ApiTokens.FILE_NAME);
        if (Files.exists(file)) {
            try {
                JsonNode n = new ObjectMapper().readTree(file.toFile());
                if (n.hasNonNull(role.name())) {
                    return n.get(role.name()).asText();
                }
            } catch (java.io.IOException e) {
                throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        throw new UserException("no " + role + " token: pass --" + role + "-token, set auth.token." + role
                + ", or run ./engage local (it writes " + file + ")");
    }
}
