package io.engage.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/** Runs a long-lived process until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes it. */
final class Processes {
    private Processes() {}

    static int runUntilStopped(AutoCloseable process, String name, PrintWriter out, String banner)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                process.close();
                            } catch (Exception e) {
                                System.err.println("engage " + name + ": while stopping: " + e.getMessage());
                            }
                            stopped.countDown();
                        },
                        "engage-" + name + "-shutdown"));
        out.println(banner);
        out.flush();
        stopped.await();
        return 0;
    }
}
