package io.engage.cli.crash;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM running {@code io.engage.cli.EngageCli} (through {@link ParentWatch}, which halts the child when this
 * JVM goes away), with stdout and stderr in files for debugging. {@link #kill()} is {@code Process.destroyForcibly()},
 * a SIGKILL on Linux: no shutdown hook runs, nothing is flushed or committed.
 */
public final class ChildJvm {
    /** Every child still alive, so a test's cleanup (or this JVM's exit) can kill them all. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::killAll, "kill-child-jvms"));
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code EngageCli args...} on this JVM's classpath; output goes to {@code logDir/name.out|.err} (appended,
     * so the history of a restarted instance stays in one place).
     */
    public static ChildJvm start(
            String name, Path logDir, List<String> jvmOptions, Map<String, String> env, List<String> args) {
        try {
            Files.createDirectories(logDir);
            Path out = logDir.resolve(name + ".out");
            Path err = logDir.resolve(name + ".err");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(classpath());
            cmd.add(ParentWatch.class.getName());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
            // stdin stays a pipe: ParentWatch halts the child when it reaches end of file (this JVM is gone)
            pb.environment().putAll(env);
            Files.writeString(
                    out,
                    "=== start " + java.time.Instant.now() + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            long mark = Files.size(out);
            Process p = pb.start();
            LIVE.add(p);
            p.onExit().thenRun(() -> LIVE.remove(p));
            ChildJvm child = new ChildJvm(p, out, err);
            child.outputMark = mark;
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start child JVM " + name + ": " + e.getMessage(), e);
        }
    }

    /** Where this start's stdout began in the (appended) file. */
    private long outputMark;

    /**
     * The test classpath. Surefire's default manifest-only jar would leave {@code java.class.path} naming only the
     * booter jar; deploy/cli's pom turns that off (useManifestOnlyJar=false), and surefire's own property is preferred
     * when present.
     */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        if (!cp.contains(File.pathSeparator)) {
            throw new IllegalStateException("the test classpath is a single entry (" + cp + "); run with"
                    + " surefire's useManifestOnlyJar=false");
        }
        return cp;
    }

    /**
     * SIGTERM, as a Ctrl-C or a container stop sends it: the child's shutdown hooks run. Waits up to {@code timeout} for
     * the child to exit and answers its exit code.
     */
    public int terminate(Duration timeout) {
        // through the handle: Process.destroy() also closes the child's stdin, and ParentWatch would halt the child at
        // that end of file before its shutdown hooks had run
        process.toHandle().destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("child " + process.pid() + " did not exit within " + timeout
                        + " of SIGTERM; see " + stdout + " and " + stderr);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return process.exitValue();
    }

    /** What the child wrote to standard error so far (all its starts). */
    public String stderrText() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child " + process.pid() + " did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    /** The first match of {@code pattern}'s group 1 in this start's stdout, waiting up to {@code timeout}. */
    String awaitOutput(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> found = find(pattern);
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("child " + process.pid() + " exited with " + process.exitValue()
                        + " before printing " + pattern + "; see " + stdout + " and " + stderr);
            }
            sleep(100);
        }
        throw new IllegalStateException("child " + process.pid() + " did not print " + pattern + " within " + timeout
                + "; see " + stdout + " and " + stderr);
    }

    private Optional<String> find(Pattern pattern) {
        try {
            byte[] all = Files.readAllBytes(stdout);
            String text = new String(
                    all,
                    (int) Math.min(outputMark, all.length),
                    (int) Math.max(0, all.length - outputMark),
                    StandardCharsets.UTF_8);
            Matcher m = pattern.matcher(text);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Kills every child JVM still running (cleanup, also on failure). */
    static void killAll() {
        for (Process p : List.copyOf(LIVE)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : List.copyOf(LIVE)) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static int liveCount() {
        return (int) LIVE.stream().filter(Process::isAlive).count();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
