package io.engage.cli.crash;

import io.engage.cli.EngageCli;
import java.io.IOException;

/**
 * Entry point of a crash test's child JVM: runs {@link EngageCli#main} unchanged, and halts the JVM when its standard
 * input reaches end of file, which happens when the test JVM that started it is gone (even after a SIGKILL of the
 * test JVM), so no orphan engage process survives a test run.
 */
public final class ParentWatch {
    private ParentWatch() {}

    public static void main(String[] args) {
        Thread watch = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // the parent never writes; anything read is ignored
                        }
                    } catch (IOException e) {
                        // a broken pipe means the same: the parent is gone
                    }
                    Runtime.getRuntime().halt(137);
                },
                "parent-watch");
        watch.setDaemon(true);
        watch.start();
        EngageCli.main(args);
    }
}
