package io.engage.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.engage.avro.RawReading;
import io.engage.ingest.validation.ReadingValidator;
import io.engage.ingest.validation.Validation;
import io.engage.ingest.validation.ValidationPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** A stand-in for the gateway API on the JDK's HTTP server: records requests and answers as scripted. */
final class FakeGateway implements AutoCloseable {
    static {
        // without it the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per request
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the gateway saw it. */
    record Request(int number, String path, Map<String, List<String>> headers, JsonNode body, Instant at) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(e -> e.getValue().get(0))
                    .orElse(null);
        }
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicInteger count = new AtomicInteger();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile BiFunction<Request, Integer, Answer> script;

    FakeGateway(BiFunction<Request, Integer, Answer> script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readAllBytes();
                JsonNode body = JSON.readTree(bytes);
                Request request = new Request(
                        count.incrementAndGet(),
                        exchange.getRequestURI().getRawPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body,
                        Instant.now());
                requests.add(request);
                Answer a = this.script.apply(request, request.number());
                byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
                a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(500, -1);
                throw e;
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** 202 accepting everything. */
    static Answer acceptAll(Request r) {
        return Answer.of(202, "{\"accepted\": " + r.body().size() + ", \"rejected\": []}");
    }

    /** 202 with what the real gateway's validator decides, at the time the request arrives. */
    static Answer validate(Request r) {
        ReadingValidator validator = new ReadingValidator(ValidationPolicy.defaults());
        String device = r.path().split("/")[3];
        List<String> rejected = new ArrayList<>();
        int i = 0;
        for (JsonNode n : r.body()) {
            RawReading raw = new RawReading(
                    device,
                    n.path("metric").asText(),
                    n.path("value").asDouble(),
                    n.path("unit").asText(),
                    n.path("start").asText(),
                    n.path("end").asText(),
                    n.path("sourceRecordId").asText(null),
                    r.at(),
                    "fake");
            if (validator.check(raw, r.at()) instanceof Validation.Invalid invalid) {
                rejected.add("{\"index\": " + i + ", \"reason\": \"" + invalid.reason() + "\", \"message\": \"x\"}");
            }
            i++;
        }
        return Answer.of(
                202,
                "{\"accepted\": " + (r.body().size() - rejected.size()) + ", \"rejected\": ["
                        + String.join(", ", rejected) + "]}");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
