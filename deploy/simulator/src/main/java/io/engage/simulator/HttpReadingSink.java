package io.engage.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Posts readings to a gateway API ({@code POST {baseUrl}/v1/devices/{deviceId}/readings}, docs/ingest.md) with a
 * gateway bearer token, in chunks of at most {@code maxBatch} readings. The 202 answer's per-reading rejections
 * are surfaced in the {@link SendResult}; 429 (honouring Retry-After), 503, other 5xx and I/O errors are retried
 * with exponential backoff, and what still fails is reported as failed (the gateway published nothing of it);
 * 413 splits the chunk; any other status is a {@link SinkException}. Chunks of one device are sent one after the
 * other, in order, so a correction never overtakes the reading it corrects.
 */
public final class HttpReadingSink implements ReadingSink {
    /** The gateway's batch limit (docs/ingest.md). */
    public static final int MAX_BATCH = 5_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI baseUrl;
    private final String authorization;
    private final int maxBatch;
    private final int concurrency;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Duration requestTimeout;
    private final ConcurrentHashMap<String, CompletableFuture<SendResult>> tails = new ConcurrentHashMap<>();

    private HttpReadingSink(Builder b) {
        this.client = b.client != null
                ? b.client
                : HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        String base = b.baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.authorization = "Bearer " + b.token;
        this.maxBatch = b.maxBatch;
        this.concurrency = b.concurrency;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.requestTimeout = b.requestTimeout;
    }

    /** A sink for the gateway at {@code baseUrl} (e.g. {@code http://localhost:8080}) with a {@code gateway} token. */
    public static Builder builder(URI baseUrl, String token) {
        return new Builder(baseUrl, token);
    }

    @Override
    public CompletableFuture<SendResult> send(String deviceId, List<RawReading> batch, Instant receivedAt) {
        Objects.requireNonNull(deviceId, "deviceId");
        List<RawReading> readings = List.copyOf(batch);
        CompletableFuture<SendResult> f = tails.compute(
                deviceId,
                (k, previous) -> previous == null
                        ? sendChunks(deviceId, readings)
                        : previous.handle((r, e) -> null).thenCompose(x -> sendChunks(deviceId, readings)));
        f.whenComplete((r, e) -> tails.remove(deviceId, f));
        return f;
    }

    private CompletableFuture<SendResult> sendChunks(String deviceId, List<RawReading> readings) {
        CompletableFuture<SendResult> acc = CompletableFuture.completedFuture(SendResult.accepted(0));
        for (int from = 0; from < readings.size(); from += maxBatch) {
            List<RawReading> chunk = readings.subList(from, Math.min(readings.size(), from + maxBatch));
            acc = acc.thenCompose(sofar -> post(deviceId, chunk, 1).thenApply(sofar::append));
        }
        return acc;
    }

    private CompletableFuture<SendResult> post(String deviceId, List<RawReading> chunk, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(uri(deviceId))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(chunk)))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        return retry(
                                deviceId,
                                chunk,
                                attempt,
                                null,
                                cause.getClass().getSimpleName() + ": " + cause.getMessage());
                    }
                    return answer(deviceId, chunk, attempt, response);
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<SendResult> answer(
            String deviceId, List<RawReading> chunk, int attempt, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 202 || status == 200) {
            return CompletableFuture.completedFuture(parse(deviceId, chunk.size(), response.body()));
        }
        if (status == 429 || status == 503 || status == 500 || status == 502 || status == 504) {
            return retry(
                    deviceId, chunk, attempt, retryAfter(response), "HTTP " + status + " " + errorOf(response.body()));
        }
        if (status == 413 && chunk.size() > 1) { // too large after all: halve it
            int half = chunk.size() / 2;
            return post(deviceId, chunk.subList(0, half), 1)
                    .thenCompose(first ->
                            post(deviceId, chunk.subList(half, chunk.size()), 1).thenApply(first::append));
        }
        return CompletableFuture.failedFuture(new SinkException(
                "gateway answered HTTP " + status + " for device " + deviceId + ": " + errorOf(response.body())));
    }

    private CompletableFuture<SendResult> retry(
            String deviceId, List<RawReading> chunk, int attempt, Duration retryAfter, String why) {
        if (attempt >= maxAttempts) {
            return CompletableFuture.completedFuture(
                    SendResult.failedAll(chunk.size(), why + " (after " + attempt + " attempts)"));
        }
        Duration wait = retryAfter != null ? min(retryAfter, maxRetryAfter) : backoff(attempt);
        return CompletableFuture.supplyAsync(
                        () -> null, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(x -> post(deviceId, chunk, attempt + 1));
    }

    private Duration backoff(int attempt) {
        Duration d = initialBackoff.multipliedBy(1L << Math.min(20, attempt - 1));
        return min(d, maxBackoff);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .map(HttpReadingSink::parseRetryAfter)
                .orElse(null);
    }

    static Duration parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(
                        Instant.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private SendResult parse(String deviceId, int size, String body) {
        try {
            JsonNode root = JSON.readTree(body);
            List<SendResult.Rejection> rejections = new ArrayList<>();
            JsonNode rejected = root.path("rejected");
            for (JsonNode r : rejected) {
                int index = r.path("index").asInt(-1);
                String code = r.path("reason").asText();
                if (index < 0 || index >= size) {
                    throw new SinkException(
                            "gateway answered a rejection at index " + index + " for a batch of " + size);
                }
                RejectReason reason;
                try {
                    reason = RejectReason.valueOf(code);
                } catch (IllegalArgumentException e) {
                    throw new SinkException(
                            "gateway answered unknown reason code '" + code + "' for device " + deviceId);
                }
                rejections.add(new SendResult.Rejection(index, reason));
            }
            rejections.sort(java.util.Comparator.comparingInt(SendResult.Rejection::index));
            return new SendResult(size, rejections, List.of(), null);
        } catch (IOException e) {
            throw new SinkException("gateway answered 202 with a body that is not JSON: " + abbreviate(body), e);
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.has("error")) {
                return n.path("error").asText() + ": " + n.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not our error format: show it as it is
        }
        return abbreviate(body);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private URI uri(String deviceId) {
        String segment = URLEncoder.encode(deviceId, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(baseUrl + "/v1/devices/" + segment + "/readings");
    }

    /** The JSON array the gateway API takes. */
    static byte[] body(List<RawReading> readings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(readings.size() * 180);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (RawReading r : readings) {
                g.writeStartObject();
                g.writeStringField("metric", r.getMetric());
                g.writeFieldName("value");
                double v = r.getValue();
                if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    g.writeNumber((long) v);
                } else {
                    g.writeNumber(v);
                }
                g.writeStringField("unit", r.getUnit());
                g.writeStringField("start", r.getStart());
                g.writeStringField("end", r.getEnd());
                if (r.getSourceRecordId() != null) {
                    g.writeStringField("sourceRecordId", r.getSourceRecordId());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public boolean validates() {
        return true;
    }

    @Override
    public int maxInFlight() {
        return concurrency;
    }

    @Override
    public void flush() {
        for (CompletableFuture<SendResult> f : List.copyOf(tails.values())) {
            f.handle((r, e) -> null).join();
        }
    }

    @Override
    public void close() {
        flush();
    }

    /** Settings of an {@link HttpReadingSink}. */
    public static final class Builder {
        private final URI baseUrl;
        private final String token;
        private HttpClient client;
        private int maxBatch = 1_000;
        private int concurrency = 8;
        private int maxAttempts = 8;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(URI baseUrl, String token) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.token = Objects.requireNonNull(token, "token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("the gateway token is blank");
            }
        }

        /** Largest chunk posted at once, 1..5,000 (default 1,000). */
        public Builder maxBatch(int v) {
            if (v < 1 || v > MAX_BATCH) {
                throw new IllegalArgumentException("maxBatch must be between 1 and " + MAX_BATCH + ", was " + v);
            }
            maxBatch = v;
            return this;
        }

        /** Batches in flight at once (different devices; default 8). */
        public Builder concurrency(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + v);
            }
            concurrency = v;
            return this;
        }

        /** Attempts per chunk before its readings count as failed (default 8). */
        public Builder maxAttempts(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + v);
            }
            maxAttempts = v;
            return this;
        }

        /** First backoff (default 200 ms), doubled per attempt up to {@code max} (default 5 s). */
        public Builder backoff(Duration initial, Duration max) {
            initialBackoff = Objects.requireNonNull(initial, "initial");
            maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Longest Retry-After honoured (default 60 s). */
        public Builder maxRetryAfter(Duration v) {
            maxRetryAfter = Objects.requireNonNull(v);
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** A client of one's own (TLS settings, proxies). */
        public Builder httpClient(HttpClient v) {
            client = Objects.requireNonNull(v);
            return this;
        }

        public HttpReadingSink build() {
            return new HttpReadingSink(this);
        }
    }
}
