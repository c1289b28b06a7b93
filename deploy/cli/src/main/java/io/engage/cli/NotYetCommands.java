package io.engage.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** Subcommands named by the spec whose implementation arrives with a later issue: they say so and exit 2. */
final class NotYetCommands {
    private NotYetCommands() {}

    abstract static class NotYet implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Unmatched
        java.util.List<String> ignored;

        private static final java.util.Map<String, String> ARRIVES_WITH =
                java.util.Map.of("what-if", "the replay issue");

        String arrivesWith() {
            return ARRIVES_WITH.getOrDefault(spec.name(), "a later issue");
        }

        @Override
        public Integer call() {
            spec.commandLine()
                    .getErr()
                    .println("engage " + spec.qualifiedName(" ").replaceFirst("^engage ", "")
                            + ": not available yet (arrives with " + arrivesWith() + ")");
            spec.commandLine().getErr().flush();
            return EngageCli.NOT_AVAILABLE;
        }
    }

    @Command(name = "what-if", description = "Replay history with another programme definition.")
    static final class WhatIf extends NotYet {}
}
