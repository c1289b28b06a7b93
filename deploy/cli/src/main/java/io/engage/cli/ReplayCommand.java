package io.engage.cli;

import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./engage replay ...}: what analysts do with history (docs/replay.md). */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Export topics and replay history with other programme rules.",
        subcommands = {ReplayCommand.Export.class, WhatIfCommand.class})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code ./engage replay export}. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Export the records of a topic with timestamps in [--from, --to) as JSON lines or CSV.")
    public static final class Export implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--topic",
                required = true,
                paramLabel = "TOPIC",
                description = "A topic of the catalogue (without topic.prefix), e.g. activity.daily.")
        String topic;

        @Option(
                names = "--from",
                paramLabel = "TIME",
                description =
                        "First timestamp, inclusive: an ISO-8601 instant (2026-11-30T08:00:00Z) or date (UTC midnight). Default: the beginning.")
        String from;

        @Option(
                names = "--to",
                paramLabel = "TIME",
                description = "Last timestamp, exclusive; as --from. Default: now.")
        String to;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "jsonl",
                description = "jsonl (default) or csv.")
        String format;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        Path out;

        @Override
        public Integer call() {
            TopicSpec<?, ?> topicSpec = Topics.all().stream()
                    .filter(s -> s.baseName().equals(topic))
                    .findFirst()
                    .orElseThrow(() -> new UsageException("unknown topic '" + topic + "'; the catalogue has "
                            + String.join(
                                    ", ",
                                    Topics.all().stream()
                                            .map(TopicSpec::baseName)
                                            .toList())));
            ExportWriter.Format fmt;
            try {
                fmt = ExportWriter.Format.valueOf(format.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--format must be jsonl or csv, was '" + format + "'");
            }
            Instant start = from == null ? Instant.EPOCH : instant("--from", from);
            Instant end = to == null ? Instant.now() : instant("--to", to);
            if (!start.isBefore(end)) {
                throw new UsageException("--from (" + start + ") must be before --to (" + end + ")");
            }
            EngageConfig config = localUnlessSet(options.resolve());
            TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
            String name = catalogue.name(topicSpec);
            TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
            PrintWriter err = spec.commandLine().getErr();
            ExportProgress progress = new ExportProgress(err, name);
            long exported;
            try (Writer sink = sink();
                    ExportWriter writer = ExportWriter.of(
                            fmt, sink, avroSchema(topicSpec.keyType()), avroSchema(topicSpec.valueType()))) {
                Map<String, Object> consumer =
                        new LinkedHashMap<>(KafkaClientConfigs.consumer(config, "engage-replay-export"));
                exported = new TopicExport(
                                consumer,
                                name,
                                serdes.keySerde(topicSpec).deserializer(),
                                serdes.valueSerde(topicSpec).deserializer())
                        .run(start, end, writer::write, progress::planned, progress::read);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            progress.done(exported);
            err.printf(
                    "engage replay export: %,d records of %s with timestamps in [%s, %s)%s%n",
                    exported, name, start, end, out == null ? "" : " written to " + out);
            err.flush();
            return 0;
        }

        private Writer sink() throws IOException {
            if (out == null) {
                return new java.io.FilterWriter(spec.commandLine().getOut()) {
                    @Override
                    public void close() {
                        flushQuietly(this);
                    }
                };
            }
            return new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8));
        }

        private static void flushQuietly(Writer w) {
            try {
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An ISO-8601 instant, offset date-time, or date (UTC midnight); anything else is a usage error. */
    static Instant instant(String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw new UsageException(option + " must be an ISO-8601 instant (2026-11-30T08:00:00Z) or date"
                            + " (2026-11-30), was '" + text + "'");
                }
            }
        }
    }

    /** The local stack's broker and registry when the configuration names none (as {@code ./engage local} runs them). */
    static EngageConfig localUnlessSet(EngageConfig config) {
        Map<String, String> local = new LinkedHashMap<>();
        if (config.bootstrapServers().isEmpty()) {
            local.put(EngageConfig.BOOTSTRAP_SERVERS, "localhost:" + config.intValue(EngageConfig.BROKER_PORT));
        }
        if (config.schemaRegistryUrl().isEmpty()) {
            local.put(
                    EngageConfig.SCHEMA_REGISTRY_URL,
                    "http://localhost:" + config.intValue(EngageConfig.REGISTRY_PORT));
            String userInfo = config.get(EngageConfig.REGISTRY_BASIC_AUTH_USER_INFO);
            if (userInfo != null && config.get("basic.auth.user.info") == null) {
                local.put("basic.auth.credentials.source", "USER_INFO");
                local.put("basic.auth.user.info", userInfo);
            }
        }
        return local.isEmpty() ? config : config.with(local);
    }

    /** The Avro schema of a catalogue type, or null for a plain (string) one. */
    static Schema avroSchema(Class<?> type) {
        return SpecificRecord.class.isAssignableFrom(type) ? SpecificData.get().getSchema(type) : null;
    }

    /** Progress on stderr: offsets read of those the range spans (transaction markers take offsets too). */
    private static final class ExportProgress {
        private final ProgressBar bar;
        private long total;
        private long lastDraw;

        ExportProgress(PrintWriter err, String topic) {
            this.bar = new ProgressBar(err, "exporting " + topic);
        }

        void planned(List<TopicExport.Slice> slices) {
            total = slices.stream().mapToLong(TopicExport.Slice::size).sum();
        }

        void read(long n) {
            long now = System.nanoTime();
            if (now - lastDraw > 250_000_000L) {
                lastDraw = now;
                bar.update(
                        total == 0 ? 1 : (double) n / total,
                        String.format(Locale.ROOT, "%,d of %,d offsets read", n, total));
            }
        }

        void done(long exported) {
            bar.done(String.format(Locale.ROOT, "%,d offsets read, %,d records in the range", total, exported));
        }
    }
}
