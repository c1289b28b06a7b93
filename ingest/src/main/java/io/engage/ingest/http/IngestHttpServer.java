package io.engage.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.engage.config.ApiTokens;
import io.engage.ingest.omh.OpenMHealthMapper;
import io.engage.ingest.publish.PublishException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process's HTTP API (docs/ingest.md): gateway readings (JSON and Open mHealth), admin writes, health
 * and metrics. Errors are {@code {"error": code, "message": text}}; tokens are checked before anything else and
 * never logged.
 */
public final class IngestHttpServer implements AutoCloseable {
    /** Largest request body. */
    public static final long MAX_BODY_BYTES = 1024L * 1024;
    /** Oversized bodies up to this size are read (and dropped) before the 413, so clients see the answer. */
    static final long DRAIN_LIMIT_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(IngestHttpServer.class);

    private final Javalin http;
    private final int port;

    private IngestHttpServer(Javalin http, int port) {
        this.http = http;
        this.port = port;
    }

    /** What the server needs. */
    public record Dependencies(
            GatewayService gateway,
            AdminService admin,
            ApiTokens tokens,
            RateLimiter rateLimiter,
            PrometheusMeterRegistry metrics,
            BooleanSupplier ready) {}

    /** Starts on {@code port} (0: a free port); a taken port is an {@link io.engage.embedded.kafka.PortInUseException}-like
     * {@link IllegalStateException} naming {@code ingest.port}. */
    public static IngestHttpServer start(int port, Dependencies deps) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4, 60_000);
        threads.setName("ingest-http");
        threads.setDaemon(true);
        Javalin http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = threads;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            routes(config, deps);
        });
        try {
            http.start("0.0.0.0", port);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException || t.getClass().getSimpleName().equals("JavalinBindException")) {
                    throw new PortTakenException(port);
                }
            }
            throw e;
        }
        return new IngestHttpServer(http, http.port());
    }

    /** The configured port is taken. */
    public static final class PortTakenException extends RuntimeException {
        public PortTakenException(int port) {
            super("port " + port
                    + " (ingest.port) is already in use; stop the process using it or choose another port with"
                    + " --ingest-port or ENGAGE_INGEST_PORT");
        }
    }

    public int port() {
        return port;
    }

    private static void routes(JavalinConfig config, Dependencies deps) {
        var r = config.routes;
        r.post("/v1/devices/{deviceId}/readings", ctx -> {
            ApiTokens.Principal who = authorize(ctx, deps.tokens(), ApiTokens.Role.gateway);
            String deviceId = Ids.require(ctx.pathParam("deviceId"), "device id");
            JsonNode array = jsonArrayBody(ctx);
            limitRate(deps.rateLimiter(), who, array.size());
            var now = deps.gateway().now();
            List<ParsedReading> parsed = ReadingParser.parse(array, deviceId, now, who.name());
            send(ctx, 202, GatewayService.answer(deps.gateway().accept(deviceId, parsed)));
        });
        r.post("/v1/devices/{deviceId}/omh", ctx -> {
            ApiTokens.Principal who = authorize(ctx, deps.tokens(), ApiTokens.Role.gateway);
            String deviceId = Ids.require(ctx.pathParam("deviceId"), "device id");
            JsonNode array = jsonArrayBody(ctx);
            limitRate(deps.rateLimiter(), who, array.size());
            var now = deps.gateway().now();
            List<ParsedReading> parsed = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                OpenMHealthMapper.Mapped m = OpenMHealthMapper.map(array.get(i), deviceId, now, who.name());
                if (m instanceof OpenMHealthMapper.Mapped.Reading reading) {
                    parsed.add(ParsedReading.ok(i, reading.reading()));
                } else {
                    OpenMHealthMapper.Mapped.Rejected rej = (OpenMHealthMapper.Mapped.Rejected) m;
                    parsed.add(ParsedReading.rejected(i, rej.reason(), rej.detail()));
                }
            }
            send(ctx, 202, GatewayService.answer(deps.gateway().accept(deviceId, parsed)));
        });

        r.put("/v1/programs/{id}", ctx -> {
            authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            send(ctx, 200, AvroJson.toMap(deps.admin().putProgram(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.put("/v1/teams/{id}", ctx -> {
            authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            send(ctx, 200, AvroJson.toMap(deps.admin().putTeam(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.put("/v1/participants/{id}", ctx -> {
            authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            send(ctx, 200, AvroJson.toMap(deps.admin().putParticipant(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.delete("/v1/participants/{id}", ctx -> {
            authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            deps.admin().eraseParticipant(ctx.pathParam("id"));
            send(ctx, 202, Map.of("participantId", ctx.pathParam("id"), "status", "erasure requested"));
        });
        r.put("/v1/devices/{id}", ctx -> {
            authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            send(ctx, 200, AvroJson.toMap(deps.admin().putDevice(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.delete("/v1/devices/{id}", ctx -> {
            authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            deps.admin().unpairDevice(ctx.pathParam("id"));
            send(ctx, 200, Map.of("deviceId", ctx.pathParam("id"), "status", "unpaired"));
        });
        r.post("/v1/cheers", ctx -> {
            authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            send(ctx, 202, AvroJson.toMap(deps.admin().postCheer(jsonObjectBody(ctx))));
        });

        r.get("/health/live", ctx -> send(ctx, 200, Map.of("status", "UP")));
        r.get("/health/ready", ctx -> {
            boolean ready = deps.ready().getAsBoolean();
            send(ctx, ready ? 200 : 503, Map.of("status", ready ? "UP" : "DOWN"));
        });
        r.get(
                "/metrics",
                ctx -> ctx.status(200)
                        .contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(deps.metrics().scrape()));

        r.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            error(ctx, e.status(), e.code(), e.getMessage());
        });
        r.exception(PublishException.class, (e, ctx) -> {
            LOG.warn("{} {}: Kafka did not take the batch: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", e.busy() ? "1" : "5");
            error(ctx, 503, "unavailable", "Kafka cannot take the readings now; nothing was accepted; retry later");
        });
        r.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String code = switch (status) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "too_large";
                default -> "http_" + status;
            };
            String message = status == 413
                    ? "request body is larger than 1 MiB"
                    : status == 404 ? "no such resource: " + ctx.method() + " " + ctx.path() : e.getMessage();
            error(ctx, status, code, message);
        });
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal", "internal error (" + e.getClass().getSimpleName() + ")");
        });
        config.http.prefer405over404 = true;
    }

    private static ApiTokens.Principal authorize(Context ctx, ApiTokens tokens, ApiTokens.Role role) {
        ApiTokens.Access access = tokens.access(ctx.header("Authorization"), role);
        if (access instanceof ApiTokens.Access.Unauthenticated u) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"engage\"");
            throw new ApiException(401, "unauthorized", u.message());
        }
        if (access instanceof ApiTokens.Access.Forbidden f) {
            throw new ApiException(403, "forbidden", f.message());
        }
        return ((ApiTokens.Access.Granted) access).principal();
    }

    private static void limitRate(RateLimiter limiter, ApiTokens.Principal who, int readings) {
        long wait = limiter.acquire(who.name(), readings);
        if (wait > 0) {
            throw new ApiException(
                    429,
                    "rate_limited",
                    "over this gateway's rate; retry after " + wait + " s",
                    Map.of("Retry-After", String.valueOf(wait)));
        }
    }

    private static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!(mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json")))) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "Content-Type must be application/json, was '" + (type == null ? "" : type) + "'");
        }
        long length = ctx.contentLength();
        if (length > MAX_BODY_BYTES) {
            // Read a moderately oversized body before answering, so the client (still uploading) gets the 413
            // instead of a reset connection; anything larger is refused without reading it.
            if (length <= DRAIN_LIMIT_BYTES) {
                try {
                    ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException ignored) {
                    // the client went away; the answer below is moot
                }
            } else {
                ctx.header("Connection", "close");
            }
            throw new ApiException(413, "too_large", "request body is larger than 1 MiB");
        }
    }

    private static JsonNode body(Context ctx) {
        requireJson(ctx);
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "too_large", "request body is larger than 1 MiB");
        }
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw ApiException.badRequest("empty body; expected JSON");
            }
            return n;
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static JsonNode jsonArrayBody(Context ctx) {
        JsonNode n = body(ctx);
        if (!n.isArray()) {
            throw ApiException.badRequest("body must be a JSON array of readings");
        }
        if (n.size() > GatewayService.MAX_BATCH) {
            throw new ApiException(
                    413,
                    "too_large",
                    "batch of " + n.size() + " readings is over the limit of " + GatewayService.MAX_BATCH);
        }
        return n;
    }

    private static JsonNode jsonObjectBody(Context ctx) {
        JsonNode n = body(ctx);
        if (!n.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        return n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }

    private static void error(Context ctx, int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        send(ctx, status, body);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping the ingest HTTP server: {}", e.toString());
        }
    }
}
