package io.engage.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.config.ApiTokens;
import io.engage.http.ApiException;
import io.engage.http.HttpApi;
import io.engage.http.Ids;
import io.engage.ingest.omh.OpenMHealthMapper;
import io.engage.ingest.publish.PublishException;
import io.engage.schemas.AvroJson;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process's HTTP API (docs/ingest.md): gateway readings (JSON and Open mHealth) and admin writes, on the
 * shared {@link HttpApi} (tokens checked before anything else and never logged, JSON errors, health, metrics).
 */
public final class IngestHttpServer implements AutoCloseable {
    /** Largest request body. */
    public static final long MAX_BODY_BYTES = 1024L * 1024;
    /** Oversized bodies up to this size are read (and dropped) before the 413, so clients see the answer. */
    static final long DRAIN_LIMIT_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(IngestHttpServer.class);

    private final HttpApi http;

    private IngestHttpServer(HttpApi http) {
        this.http = http;
    }

    /** What the server needs. */
    public record Dependencies(
            GatewayService gateway,
            AdminService admin,
            ApiTokens tokens,
            RateLimiter rateLimiter,
            PrometheusMeterRegistry metrics,
            BooleanSupplier ready,
            java.util.function.Function<String, String> boundGateway) {}

    /**
     * Starts on {@code port} (0: a free port).
     *
     * @throws HttpApi.PortInUseException when the port is taken (named as {@code ingest.port})
     */
    public static IngestHttpServer start(String host, int port, Dependencies deps) {
        return start(host, port, null, deps);
    }

    /** As {@link #start(String, int, Dependencies)}, over HTTPS with {@code tls} (null: plain HTTP). */
    public static IngestHttpServer start(String host, int port, io.engage.http.Tls tls, Dependencies deps) {
        return new IngestHttpServer(HttpApi.start(
                new HttpApi.Settings("ingest", host, port, "ingest.port", 256, MAX_BODY_BYTES, tls),
                new HttpApi.Common(deps.metrics(), deps.ready()),
                config -> routes(config, deps)));
    }

    public int port() {
        return http.port();
    }

    private static void routes(JavalinConfig config, Dependencies deps) {
        var r = config.routes;
        r.post("/v1/devices/{deviceId}/readings", ctx -> {
            ApiTokens.Principal who = HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.gateway);
            String deviceId = Ids.require(ctx.pathParam("deviceId"), "device id");
            requireBinding(deps, deviceId, who);
            // the request is charged before its body is read, the rest of its readings after
            limitRate(deps.rateLimiter(), who, 1);
            List<ParsedReading> parsed =
                    readingsBody(ctx, deviceId, deps.gateway().now(), who.name());
            limitRate(deps.rateLimiter(), who, parsed.size() - 1);
            GatewayService.Result result = deps.gateway().accept(deviceId, parsed);
            if (result.rejected().isEmpty()) {
                // the common answer, written without a map and a serializer
                HttpApi.sendJson(ctx, 202, "{\"accepted\":" + result.accepted() + ",\"rejected\":[]}");
            } else {
                HttpApi.send(ctx, 202, GatewayService.answer(result));
            }
        });
        r.post("/v1/devices/{deviceId}/omh", ctx -> {
            ApiTokens.Principal who = HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.gateway);
            String deviceId = Ids.require(ctx.pathParam("deviceId"), "device id");
            requireBinding(deps, deviceId, who);
            // the request is charged before its body is read, the rest of its readings after
            limitRate(deps.rateLimiter(), who, 1);
            JsonNode array = jsonArrayBody(ctx);
            limitRate(deps.rateLimiter(), who, array.size() - 1);
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
            HttpApi.send(ctx, 202, GatewayService.answer(deps.gateway().accept(deviceId, parsed)));
        });

        r.put("/v1/programs/{id}", ctx -> {
            HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            HttpApi.send(ctx, 200, AvroJson.toMap(deps.admin().putProgram(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.put("/v1/teams/{id}", ctx -> {
            HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            HttpApi.send(ctx, 200, AvroJson.toMap(deps.admin().putTeam(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.put("/v1/participants/{id}", ctx -> {
            HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            HttpApi.send(
                    ctx, 200, AvroJson.toMap(deps.admin().putParticipant(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.delete("/v1/participants/{id}", ctx -> {
            HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            deps.admin().eraseParticipant(ctx.pathParam("id"));
            HttpApi.send(ctx, 202, Map.of("participantId", ctx.pathParam("id"), "status", "erasure requested"));
        });
        r.put("/v1/devices/{id}", ctx -> {
            HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            HttpApi.send(ctx, 200, AvroJson.toMap(deps.admin().putDevice(ctx.pathParam("id"), jsonObjectBody(ctx))));
        });
        r.delete("/v1/devices/{id}", ctx -> {
            HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            deps.admin().unpairDevice(ctx.pathParam("id"));
            HttpApi.send(ctx, 200, Map.of("deviceId", ctx.pathParam("id"), "status", "unpaired"));
        });
        r.post("/v1/cheers", ctx -> {
            HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.admin);
            HttpApi.send(ctx, 202, AvroJson.toMap(deps.admin().postCheer(jsonObjectBody(ctx))));
        });

        r.exception(PublishException.class, (e, ctx) -> {
            if (e.kind() == PublishException.Kind.TOO_LARGE) {
                HttpApi.error(ctx, 413, "payload_too_large", e.getMessage() + "; nothing was accepted");
                return;
            }
            if (e.kind() == PublishException.Kind.UNKNOWN) {
                LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                HttpApi.error(
                        ctx,
                        504,
                        "outcome_unknown",
                        "Kafka did not say whether the batch was committed; it may be visible or not. Re-sending it is"
                                + " safe: a repeat changes nothing");
                return;
            }
            LOG.warn("{} {}: Kafka did not take the batch: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", e.busy() ? "1" : "5");
            HttpApi.error(
                    ctx, 503, "unavailable", "Kafka cannot take the readings now; nothing was accepted; retry later");
        });
    }

    /**
     * A device bound to a gateway (docs/ingest.md, "Devices bound to a gateway") takes readings from that gateway's
     * token only: 403 for any other. Unbound devices take any gateway's.
     */
    private static void requireBinding(Dependencies deps, String deviceId, ApiTokens.Principal who) {
        String bound = deps.boundGateway().apply(deviceId);
        if (bound != null && !bound.equals(who.name())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "device '" + deviceId + "' is bound to another gateway; use that gateway's token");
        }
    }

    private static void limitRate(RateLimiter limiter, ApiTokens.Principal who, int readings) {
        if (readings <= 0) {
            return;
        }
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
            throw new ApiException(413, "too_large", "request body is larger than " + HttpApi.size(MAX_BODY_BYTES));
        }
    }

    /** The body's bytes, after the media type and size checks. */
    private static byte[] bodyBytes(Context ctx) {
        requireJson(ctx);
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "too_large", "request body is larger than " + HttpApi.size(MAX_BODY_BYTES));
        }
        return bytes;
    }

    private static JsonNode body(Context ctx) {
        byte[] bytes = bodyBytes(ctx);
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

    /** Reads one array element (the elements that follow it are not "trailing tokens"). */
    private static final com.fasterxml.jackson.databind.ObjectReader ELEMENT = Json.MAPPER
            .readerFor(JsonNode.class)
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The body as a JSON array of at most {@link GatewayService#MAX_BATCH} elements, read element by element: a body
     * with more is refused (413) at the first element over the limit, without building the rest (docs/ingest.md,
     * "Hostile input").
     */
    private static JsonNode jsonArrayBody(Context ctx) {
        com.fasterxml.jackson.databind.node.ArrayNode out = Json.MAPPER.createArrayNode();
        out.addAll(arrayBody(ctx, (p, t, index) -> ELEMENT.<JsonNode>readValue(p)));
        return out;
    }

    /**
     * The readings of a {@code POST /v1/devices/{deviceId}/readings} body, parsed element by element straight from the
     * parser's tokens (no JSON tree), with the limits of {@link #jsonArrayBody}.
     */
    private static List<ParsedReading> readingsBody(
            Context ctx, String deviceId, java.time.Instant receivedAt, String gatewayId) {
        return arrayBody(ctx, (p, t, index) -> ReadingParser.element(p, t, index, deviceId, receivedAt, gatewayId));
    }

    /** Reads one element of a JSON array body; the parser is at its first token, {@code t}. */
    @FunctionalInterface
    private interface ElementReader<T> {
        T read(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t, int index)
                throws java.io.IOException;
    }

    /**
     * A JSON array body, element by element: at most {@link GatewayService#MAX_BATCH} elements, refused (413) at the
     * first over the limit; a body that is not a JSON array, or not well-formed anywhere, is a 400.
     */
    private static <T> List<T> arrayBody(Context ctx, ElementReader<T> elements) {
        byte[] bytes = bodyBytes(ctx);
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(bytes)) {
            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
            if (t == null) {
                throw ApiException.badRequest("empty body; expected JSON");
            }
            if (t != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                throw ApiException.badRequest("body must be a JSON array of readings");
            }
            List<T> out = new ArrayList<>();
            while ((t = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                if (t == null) {
                    throw ApiException.badRequest("body is not valid JSON: the array is not closed");
                }
                if (out.size() == GatewayService.MAX_BATCH) {
                    throw tooManyReadings();
                }
                out.add(elements.read(p, t, out.size()));
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("body is not valid JSON: content after the array");
            }
            return out;
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static ApiException tooManyReadings() {
        return new ApiException(
                413,
                "too_large",
                "batch of more than " + GatewayService.MAX_BATCH + " readings (refused at element "
                        + (GatewayService.MAX_BATCH + 1) + "); the limit is " + GatewayService.MAX_BATCH);
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

    @Override
    public void close() {
        http.close();
    }
}
