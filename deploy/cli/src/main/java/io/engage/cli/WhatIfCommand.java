package io.engage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Program;
import io.engage.config.EngageConfig;
import io.engage.http.ApiException;
import io.engage.ingest.http.AdminService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./engage replay what-if} (docs/replay.md). */
@Command(
        name = "what-if",
        mixinStandardHelpOptions = true,
        description = {
            "Re-run the engagement rules over a range of readings.normalized with one programme's rules taken from a"
                    + " file, in isolated topics that are removed afterwards, and print actual against what-if.",
            "Production topics, stores and consumer offsets are only read."
        })
final class WhatIfCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--program",
            required = true,
            paramLabel = "FILE",
            description = "The programme's rules: the JSON body of PUT /v1/programs/{id} (docs/ingest.md).")
    Path program;

    @Option(
            names = "--program-id",
            paramLabel = "ID",
            description = "The programme the rules replace. Default: the only programme on the cluster.")
    String programId;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "DATE",
            description = "First local day replayed (YYYY-MM-DD).")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "DATE",
            description = "Last local day replayed, inclusive (YYYY-MM-DD).")
    String to;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (default: a table) or json.")
    String format;

    @Override
    public Integer call() throws Exception {
        LocalDate first = date("--from", from);
        LocalDate last = date("--to", to);
        if (last.isBefore(first)) {
            throw new UsageException("--from (" + first + ") must not be after --to (" + last + ")");
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("text") && !fmt.equals("json")) {
            throw new UsageException("--format must be text or json, was '" + format + "'");
        }
        JsonNode body = body(program);
        rules(programId == null ? "what-if" : programId, body); // the file's errors before anything is read
        EngageConfig config = ReplayCommand.localUnlessSet(options.resolve());
        PrintWriter err = spec.commandLine().getErr();
        WhatIfRun.Result result;
        try (WhatIfRun run = new WhatIfRun(config, err)) {
            result = run.run(body, programId, first, last);
        }
        WhatIfReport report =
                new WhatIfReport(result.programId(), first, last, program.toString(), result.actual(), result.whatIf());
        PrintWriter out = spec.commandLine().getOut();
        out.print(fmt.equals("json") ? report.json() : report.text());
        out.flush();
        return 0;
    }

    /** The programme record the admin API would publish for {@code body}; a usage error naming the rule it breaks. */
    static Program rules(String programId, JsonNode body) {
        try {
            return AdminService.program(programId, body, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        } catch (ApiException e) {
            throw new UsageException("--program: " + e.getMessage());
        }
    }

    private static JsonNode body(Path file) {
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            if (node == null || !node.isObject()) {
                throw new UsageException("--program " + file + ": not a JSON object");
            }
            return node;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException("--program " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--program " + file + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static LocalDate date(String option, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " must be a date (2026-11-30), was '" + text + "'");
        }
    }
}
