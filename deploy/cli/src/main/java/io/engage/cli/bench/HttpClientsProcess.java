package io.engage.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Phase (h)'s keep-alive clients in a JVM of their own (docs/benchmarks.md, "The gateway API alone (h)"): the bench
 * JVM holds the broker, the registry and the gateway under test, and clients in it would add their allocations to its
 * heap (its young collections pause the gateway too) and their code to its JIT compiler's queue. The child runs
 * {@link HttpLoad}'s device syncs and then its floor with the same clients, sends its progress lines on stderr and
 * each result as one JSON line on stdout.
 */
public final class HttpClientsProcess {
    /** The child's heap and collector: a small heap of short-lived objects, so short young collections. */
    static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC");

    /** What the child measured. */
    public record Results(HttpLoad.Result syncs, HttpLoad.Result floor) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpClientsProcess() {}

    /**
     * Starts the child, forwards its progress, and returns both results; {@code afterSyncs} runs (in the bench JVM)
     * when the syncs' result has arrived, while the floor is measured.
     */
    public static Results run(
            String baseUrl,
            String token,
            int concurrency,
            Duration warmup,
            Duration window,
            int devices,
            int readingsPerRequest,
            Consumer<String> progress,
            Runnable afterSyncs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HttpClientsProcess.class.getName());
        cmd.add(baseUrl);
        cmd.add(String.valueOf(concurrency));
        cmd.add(String.valueOf(warmup.toMillis()));
        cmd.add(String.valueOf(window.toMillis()));
        cmd.add(String.valueOf(devices));
        cmd.add(String.valueOf(readingsPerRequest));
        Process child;
        try {
            child = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new BenchException("cannot start the HTTP clients' JVM: " + e.getMessage(), e);
        }
        try {
            // the token goes on stdin, not the command line (which other users of the machine can read)
            child.getOutputStream().write((token + "\n").getBytes(StandardCharsets.UTF_8));
            child.getOutputStream().flush();
            Thread errors = new Thread(
                    () -> {
                        try (BufferedReader r = new BufferedReader(
                                new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                progress.accept(line);
                            }
                        } catch (IOException e) {
                            progress.accept("clients' JVM: " + e.getMessage());
                        }
                    },
                    "bench-http-clients-stderr");
            errors.setDaemon(true);
            errors.start();
            HttpLoad.Result syncs = null;
            HttpLoad.Result floor = null;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    JsonNode n = JSON.readTree(line);
                    HttpLoad.Result r = JSON.treeToValue(n.get("result"), HttpLoad.Result.class);
                    if ("syncs".equals(n.path("phase").asText())) {
                        syncs = r;
                        afterSyncs.run();
                    } else {
                        floor = r;
                    }
                }
            }
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                throw new BenchException("the HTTP clients' JVM did not exit");
            }
            errors.join(5_000);
            if (child.exitValue() != 0 || syncs == null || floor == null) {
                throw new BenchException("the HTTP clients' JVM failed (exit " + child.exitValue() + ")");
            }
            return new Results(syncs, floor);
        } catch (IOException e) {
            throw new BenchException("the HTTP clients' JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The child: {@code baseUrl concurrency warmupMs windowMs devices readingsPerRequest}, the token on stdin. */
    public static void main(String[] args) throws IOException {
        String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        Consumer<String> progress = line -> {
            System.err.println(line);
            System.err.flush();
        };
        HttpLoad load = new HttpLoad(
                args[0],
                token,
                Integer.parseInt(args[1]),
                Duration.ofMillis(Long.parseLong(args[2])),
                Duration.ofMillis(Long.parseLong(args[3])),
                progress);
        try {
            emit("syncs", load.syncs(Integer.parseInt(args[4]), Integer.parseInt(args[5])));
            emit("floor", load.floor());
        } catch (RuntimeException e) {
            progress.accept("clients' JVM: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private static void emit(String phase, HttpLoad.Result result) throws IOException {
        System.out.println(JSON.writeValueAsString(java.util.Map.of("phase", phase, "result", result)));
        System.out.flush();
    }
}
