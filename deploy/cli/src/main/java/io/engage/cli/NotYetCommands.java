package io.engage.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Model.CommandSpec;

/** Subcommands named by the spec whose implementation arrives with a later issue: they say so and exit 2. */
final class NotYetCommands {
    private NotYetCommands() {
    }

    abstract static class NotYet implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Unmatched
        java.util.List<String> ignored;

        abstract String arrivesWith();

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("engage " + spec.qualifiedName(" ").replaceFirst("^engage ", "")
                    + ": not available yet (arrives with " + arrivesWith() + ")");
            spec.commandLine().getErr().flush();
            return EngageCli.NOT_AVAILABLE;
        }
    }

    @Command(name = "streams", description = "Run the engagement streams process and query API against a Kafka cluster.")
    static final class Streams extends NotYet {
        @Override
        String arrivesWith() {
            return "the activity issue";
        }
    }

    @Command(name = "simulate", description = "Run the device simulator.")
    static final class Simulate extends NotYet {
        @Override
        String arrivesWith() {
            return "the ingestion issue";
        }
    }

    @Command(name = "bench", description = "Measure throughput and latency against baselines.")
    static final class Bench extends NotYet {
        @Override
        String arrivesWith() {
            return "the philanthropy issue";
        }
    }

    @Command(name = "replay", description = "Export topics and replay history with other programme rules.",
            subcommands = {Export.class, WhatIf.class})
    static final class Replay extends NotYet {
        @Override
        String arrivesWith() {
            return "the replay issue";
        }
    }

    @Command(name = "export", description = "Export a topic for a time range as jsonl or csv.")
    static final class Export extends NotYet {
        @Override
        String arrivesWith() {
            return "the replay issue";
        }
    }

    @Command(name = "what-if", description = "Replay history with another programme definition.")
    static final class WhatIf extends NotYet {
        @Override
        String arrivesWith() {
            return "the replay issue";
        }
    }
}
