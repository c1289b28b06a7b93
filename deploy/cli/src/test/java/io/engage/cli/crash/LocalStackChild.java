package io.engage.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.embedded.kafka.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * {@code ./engage local} in a child JVM for the kill tests: fixed ports (so a restarted stack answers where the first
 * one did) and a data directory under {@code target/crash-data} (a failed run leaves its Kafka data and state for a
 * post-mortem), with the HTTP calls the tests make against it.
 */
final class LocalStackChild {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUNNING = Pattern.compile("(engage local: running)");

    final Path data;
    final Path logs;
    final int broker;
    final int registry;
    private final int ingest;
    private final int query;
    private final List<String> args;

    private LocalStackChild(String run, List<String> extraArgs) {
        data = Path.of("target", "crash-data", run).toAbsolutePath();
        logs = Path.of("target", "crash-logs", run);
        broker = Ports.freePort();
        registry = Ports.freePort();
        ingest = Ports.freePort();
        query = Ports.freePort();
        List<String> a = new ArrayList<>(List.of(
                "local",
                "--data-dir",
                data.toString(),
                "--broker-port",
                String.valueOf(broker),
                "--registry-port",
                String.valueOf(registry),
                "--ingest-port",
                String.valueOf(ingest),
                "--query-port",
                String.valueOf(query)));
        a.addAll(extraArgs);
        args = List.copyOf(a);
    }

    /** A stack named {@code run} (its data and log directories), with {@code ./engage local} options added. */
    static LocalStackChild prepare(String run, String... extraArgs) {
        return new LocalStackChild(run, List.of(extraArgs));
    }

    String bootstrap() {
        return "localhost:" + broker;
    }

    String ingestUrl() {
        return "http://localhost:" + ingest;
    }

    String queryUrl() {
        return "http://localhost:" + query;
    }

    /** The stack's API tokens ({@code tokens.json} in its data directory; written at its first start). */
    JsonNode tokens() throws java.io.IOException {
        return JSON.readTree(data.resolve("tokens.json").toFile());
    }

    /**
     * Starts the stack and waits until both APIs are ready; the child is returned for {@link ChildJvm#kill()}. A stack
     * that prints its endpoints but does not become ready fails with the hanging transactions it has, if any.
     */
    ChildJvm start() {
        ChildJvm stack = ChildJvm.start(
                "local",
                logs,
                List.of(
                        "-Xmx768m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=" + EngageProcess.logbackFile()),
                Map.of("ENGAGE_LOG_LEVEL", "INFO"),
                args);
        long t0 = System.nanoTime();
        stack.awaitOutput(RUNNING, Duration.ofSeconds(150));
        long banner = secondsSince(t0);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> status(get(ingestUrl() + "/health/ready", null)) == 200
                            && status(get(queryUrl() + "/health/ready", null)) == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> hanging = HangingTransactions.find(bootstrap());
            throw new AssertionError(
                    "the stack did not become ready (ingest " + status(get(ingestUrl() + "/health/ready", null))
                            + ", query " + status(get(queryUrl() + "/health/ready", null))
                            + ") within 120 s of printing its endpoints;"
                            + " hanging transactions: " + hanging,
                    e);
        }
        System.out.printf(
                "[local stack %tT] printed its endpoints after %d s, ready after %d s%n",
                System.currentTimeMillis(), banner, secondsSince(t0));
        return stack;
    }

    /** PUT of an admin record; anything but 200 fails the test. */
    static void put(String ingestUrl, String admin, String path, String body) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(ingestUrl + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + admin)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("PUT " + path + ": " + r.body()).isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("PUT " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET with an optional token; null when the stack did not answer (dead, restarting). */
    static HttpResponse<String> get(String url, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int status(HttpResponse<?> r) {
        return r == null ? -1 : r.statusCode();
    }

    private static long secondsSince(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
    }
}
