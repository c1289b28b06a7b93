package io.engage.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted Schema Registry on an ephemeral port (the JDK's {@link HttpServer}): every request is recorded,
 * queued answers are given in order, and once the queue is empty the fallback answers.
 */
final class FakeRegistryServer implements AutoCloseable {
    /** One recorded request. */
    record Request(String method, String uri, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** One answer: status, body and content type. */
    record Answer(int status, String body, String contentType) {
        static Answer json(int status, String body) {
            return new Answer(status, body, RestSchemaRegistryClient.CONTENT_TYPE);
        }

        static Answer error(int status, int code, String message) {
            return json(status, "{\"error_code\":" + code + ",\"message\":\"" + message + "\"}");
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private volatile Answer fallback = Answer.error(500, 50001, "no answer scripted");

    FakeRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Queues answers for the next requests. */
    synchronized FakeRegistryServer then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** The answer once the queue is empty. */
    FakeRegistryServer always(Answer answer) {
        this.fallback = answer;
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    body));
            Answer answer;
            synchronized (this) {
                answer = script.isEmpty() ? fallback : script.poll();
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
