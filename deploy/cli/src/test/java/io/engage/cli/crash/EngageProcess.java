package io.engage.cli.crash;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One engage process ({@code ./engage ingest} or {@code ./engage streams}) run as a child JVM with a fixed
 * command line and its own data directory (Kafka Streams state), so a restart after a SIGKILL finds the state
 * the killed process left, as a restarted pod with a persistent volume would.
 */
final class EngageProcess {
    private static final Pattern PORT = Pattern.compile("engage (?:ingest|streams): .* on port (\\d+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path logDir;
    private final List<String> jvmOptions;
    private final List<String> args;
    private ChildJvm jvm;
    private volatile int port = -1;
    private int starts;

    private EngageProcess(String name, Path logDir, List<String> jvmOptions, List<String> args) {
        this.name = name;
        this.logDir = logDir;
        this.jvmOptions = jvmOptions;
        this.args = args;
    }

    /** {@code command} is {@code ingest} or {@code streams}; {@code args} follow it. */
    static EngageProcess of(String name, Path logDir, String command, List<String> args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(args);
        return new EngageProcess(
                name,
                logDir,
                List.of(
                        "-Xmx320m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=" + logbackFile()),
                all);
    }

    /**
     * The CLI's own logback configuration (the test classpath's logback-test.xml would win otherwise), or the file
     * named by {@code -Dcrash.logback=...} for a post-mortem with more of the broker's logging.
     */
    static String logbackFile() {
        String override = System.getProperty("crash.logback");
        if (override != null && !override.isBlank()) {
            return override;
        }
        java.net.URL url = EngageProcess.class.getClassLoader().getResource("logback.xml");
        return url == null ? "logback.xml" : url.toString();
    }

    synchronized void start() {
        if (jvm != null && jvm.alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        starts++;
        port = -1;
        jvm = ChildJvm.start(name, logDir, jvmOptions, Map.of("ENGAGE_LOG_LEVEL", "INFO"), args);
    }

    /** SIGKILL; returns at once after the process is gone. */
    synchronized void kill() {
        if (jvm != null) {
            jvm.kill();
        }
    }

    synchronized boolean alive() {
        return jvm != null && jvm.alive();
    }

    /** Waits for the banner with the HTTP port (the process's clients and HTTP server are up). */
    int awaitPort(Duration timeout) {
        ChildJvm current;
        synchronized (this) {
            current = jvm;
        }
        int p = Integer.parseInt(current.awaitOutput(PORT, timeout));
        port = p;
        return p;
    }

    /** True when {@code /health/ready} answers 200 (the Kafka Streams instance is RUNNING). */
    /** GET {@code path} on this instance's HTTP API with a bearer token: status and body (status -1 when unreachable). */
    Map.Entry<Integer, String> get(String path, String token) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(15))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return Map.entry(r.statusCode(), r.body());
        } catch (Exception e) {
            return Map.entry(-1, e.toString());
        }
    }

    boolean ready() {
        int p = port;
        if (p <= 0 || !alive()) {
            return false;
        }
        try {
            HttpResponse<Void> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + p + "/health/ready"))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** The HTTP port of the current start, or -1 while not known. */
    int port() {
        return port;
    }

    String name() {
        return name;
    }

    synchronized int starts() {
        return starts;
    }

    @Override
    public String toString() {
        return name + (jvm == null ? "" : " (pid " + jvm.pid() + (jvm.alive() ? "" : ", dead") + ")");
    }
}
