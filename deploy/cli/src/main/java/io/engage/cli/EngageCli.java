package io.engage.cli;

import io.engage.config.ConfigException;
import io.engage.embedded.kafka.PortInUseException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code ./engage} command line. */
@Command(
        name = "engage",
        mixinStandardHelpOptions = true,
        version = "engage 0.1.0",
        description = "Wearable-data ingestion and engagement stream processor.",
        subcommands = {
            DemoCommand.class,
            LocalCommand.class,
            RegistryCommand.class,
            IngestCommand.class,
            StreamsCommand.class,
            SimulateCommand.class,
            TopicsCommand.class,
            ReplayCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class EngageCli implements Callable<Integer> {
    /** Exit code of a bad argument (as picocli's own usage errors). */
    public static final int USAGE_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A command line with engage's error handling: configuration and port errors print one clear line. */
    public static CommandLine commandLine() {
        io.engage.schemas.AvroTrust.install();
        CommandLine cli = new CommandLine(new EngageCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            Throwable cause = rootUserError(ex);
            if (cause instanceof UsageException) {
                err.println("engage: " + cause.getMessage());
                err.flush();
                return USAGE_ERROR;
            }
            if (cause != null) {
                err.println("engage: " + cause.getMessage());
                err.flush();
                return 1;
            }
            err.println("engage: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 1;
        });
        return cli;
    }

    private static Throwable rootUserError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConfigException
                    || t instanceof PortInUseException
                    || t instanceof UserException
                    || t instanceof UsageException
                    || t instanceof io.engage.cli.bench.BenchException
                    || t instanceof io.engage.http.HttpApi.PortInUseException) {
                return t;
            }
        }
        return null;
    }

    public static void main(String[] args) {
        io.engage.schemas.AvroTrust.install();
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
