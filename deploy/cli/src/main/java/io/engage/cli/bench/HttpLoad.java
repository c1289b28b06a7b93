package io.engage.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Phase (h): keep-alive HTTP clients against the gateway API alone (docs/benchmarks.md). {@code concurrency} threads
 * share one HTTP/1.1 client (its connection pool keeps one connection per thread alive); each sends a request, waits
 * for the answer and sends the next, for a warm-up and then a timed window, in which every answer's latency is kept.
 * The same clients then ask {@code GET /health/live} for as long: the floor of what the server answers at all.
 */
public final class HttpLoad {
    /** What one load gave in its timed window. */
    public record Result(
            long requests, double seconds, double perSecond, double p50Ms, double p99Ms, long unexpected) {}

    private final String baseUrl;
    private final String token;
    private final int concurrency;
    private final Duration warmup;
    private final Duration window;
    private final Consumer<String> progress;
    private final HttpClient client;

    public HttpLoad(
            String baseUrl,
            String token,
            int concurrency,
            Duration warmup,
            Duration window,
            Consumer<String> progress) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.concurrency = concurrency;
        this.warmup = warmup;
        this.window = window;
        this.progress = progress;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Device syncs: {@code readingsPerRequest} steps readings of one device per request, over {@code devices} devices
     * (not paired: the gateway alone does not look them up), timestamps in the last hours so none is late or future.
     * Every answer must be 202 with every reading accepted; anything else is counted as unexpected.
     */
    public Result syncs(int devices, int readingsPerRequest) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
        int bodies = 1024;
        List<String> body = new ArrayList<>(bodies);
        for (int i = 0; i < bodies; i++) {
            StringBuilder b = new StringBuilder("[");
            for (int r = 0; r < readingsPerRequest; r++) {
                Instant start = base.plus(Duration.ofMinutes((i * readingsPerRequest + r) % 170));
                if (r > 0) {
                    b.append(',');
                }
                b.append("{\"metric\":\"steps\",\"value\":")
                        .append(40 + (i * 7 + r) % 90)
                        .append(",\"unit\":\"steps\",\"start\":\"")
                        .append(RFC3339.format(start))
                        .append("\",\"end\":\"")
                        .append(RFC3339.format(start.plus(Duration.ofMinutes(1))))
                        .append("\"}");
            }
            body.add(b.append(']').toString());
        }
        // built before the clock starts (a request is immutable and can be sent again), so the clients spend their
        // time sending, not building URIs and encoding bodies
        HttpRequest[] requests = new HttpRequest[PREBUILT];
        for (int n = 0; n < requests.length; n++) {
            requests[n] = HttpRequest.newBuilder(
                            URI.create(baseUrl + "/v1/devices/bench-h-" + (n % devices) + "/readings"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            body.get(n % bodies).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .build();
        }
        return run(
                "device syncs",
                n -> requests[n % requests.length],
                response -> response.statusCode() == 202 && acceptedAll(response.body(), readingsPerRequest));
    }

    private static boolean acceptedAll(String body, int readings) {
        try {
            return JSON.readTree(body).path("accepted").asInt(-1) == readings;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code GET /health/live} with the same clients: the HTTP floor. */
    public Result floor() {
        HttpRequest live = HttpRequest.newBuilder(URI.create(baseUrl + "/health/live"))
                .GET()
                .build();
        return run("GET /health/live", n -> live, response -> response.statusCode() == 200);
    }

    private Result run(
            String what,
            IntFunction<HttpRequest> request,
            java.util.function.Predicate<HttpResponse<String>> expected) {
        long startNanos = System.nanoTime();
        long measureFrom = startNanos + warmup.toNanos();
        long measureTo = measureFrom + window.toNanos();
        AtomicLong sequence = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        RuntimeException[] failure = new RuntimeException[1];
        for (int t = 0; t < concurrency; t++) {
            long[][] mine = {new long[4096]};
            int[] count = {0};
            Thread thread = new Thread(
                    () -> {
                        try {
                            while (true) {
                                long sent = System.nanoTime();
                                if (sent >= measureTo) {
                                    break;
                                }
                                HttpResponse<String> response = client.send(
                                        request.apply((int) (sequence.getAndIncrement() & 0x7fffffff)),
                                        HttpResponse.BodyHandlers.ofString());
                                long answered = System.nanoTime();
                                if (sent >= measureFrom && answered <= measureTo) {
                                    if (!expected.test(response) && unexpected.getAndIncrement() == 0) {
                                        progress.accept(String.format(
                                                "%s: first unexpected answer: %d %s",
                                                what, response.statusCode(), response.body()));
                                    }
                                    if (count[0] == mine[0].length) {
                                        mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                                    }
                                    mine[0][count[0]++] = answered - sent;
                                }
                            }
                        } catch (IOException e) {
                            synchronized (failure) {
                                failure[0] = new BenchException(what + ": a request failed: " + e, e);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            synchronized (latencies) {
                                latencies.add(Arrays.copyOf(mine[0], count[0]));
                            }
                            done.countDown();
                        }
                    },
                    "bench-http-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        progress.accept(String.format(
                "%s: %d clients, %.0f s warm-up, %.0f s timed",
                what, concurrency, warmup.toMillis() / 1e3, window.toMillis() / 1e3));
        threads.forEach(Thread::start);
        try {
            if (!done.await(
                    warmup.plus(window).plusSeconds(60).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new BenchException(what + ": clients still waiting for answers 60 s after the window");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = window.toNanos() / 1e9;
        Result r = new Result(
                all.length,
                seconds,
                all.length / seconds,
                percentile(all, 0.50) / 1e6,
                percentile(all, 0.99) / 1e6,
                unexpected.get());
        progress.accept(String.format(
                "%s: %,.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d unexpected answers",
                what, r.perSecond(), r.p50Ms(), r.p99Ms(), r.unexpected()));
        return r;
    }

    /** Requests of device syncs built ahead: device {@code n % devices}, body {@code n % 1024}. */
    private static final int PREBUILT = 4096;

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
}
