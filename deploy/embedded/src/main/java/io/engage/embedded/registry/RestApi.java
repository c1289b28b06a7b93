package io.engage.embedded.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST API on Javalin routes. Every response is
 * {@code application/vnd.schemaregistry.v1+json}; every error is {@code {"error_code": n, "message": "..."}}.
 */
final class RestApi {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** Largest request body accepted. */
    static final long MAX_REQUEST_BYTES = 8L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryService service;

    /** The {@code Authorization} header value every request must carry ({@code Basic base64(user:password)}), or null. */
    private final byte[] expectedAuthorization;

    RestApi(SchemaRegistryService service) {
        this(service, null);
    }

    /** @param userInfo {@code user:password} every request must present with HTTP basic auth; null: none */
    RestApi(SchemaRegistryService service, String userInfo) {
        this.service = service;
        this.expectedAuthorization = userInfo == null
                ? null
                : ("Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The header equals the configured credentials (compared in constant time). */
    private boolean authorized(String header) {
        return header != null
                && java.security.MessageDigest.isEqual(
                        expectedAuthorization, header.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void configure(JavalinConfig config) {
        config.http.maxRequestSize = MAX_REQUEST_BYTES;
        config.http.prefer405over404 = true;
        config.http.defaultContentType = CONTENT_TYPE;
        config.router.ignoreTrailingSlashes = true;
        RoutesConfig r = config.routes;

        // a body must say it is JSON, as with Confluent's registry: a web page's cross-site form or text/plain POST
        // (sent without a preflight) is refused before it can register or delete anything
        // the registry listens on the loopback interface: a request naming another host is a web page's after a DNS
        // rebinding (a name of the attacker's that now resolves to 127.0.0.1), refused before it reads anything
        r.before(ctx -> {
            if (!loopbackHost(ctx.header("Host"))) {
                throw new RegistryException(
                        403, 40301, "HTTP 403 Forbidden: the embedded registry answers requests for localhost only");
            }
        });
        r.before(ctx -> {
            if (expectedAuthorization != null && !authorized(ctx.header("Authorization"))) {
                ctx.header("WWW-Authenticate", "Basic realm=\"engage-registry\"");
                throw new RegistryException(401, 401, "Unauthorized");
            }
        });
        r.before(ctx -> {
            if ((ctx.method() == HandlerType.POST || ctx.method() == HandlerType.PUT) && !jsonContentType(ctx)) {
                throw new RegistryException(
                        415,
                        415,
                        "HTTP 415 Unsupported Media Type: send " + CONTENT_TYPE + " or application/json, was '"
                                + (ctx.contentType() == null ? "" : ctx.contentType()) + "'");
            }
        });

        r.get("/", ctx -> send(ctx, 200, Map.of()));
        r.get("/schemas/types", ctx -> send(ctx, 200, List.of("AVRO")));

        r.get("/schemas", ctx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (StoredSchema s : service.allSchemas(
                    flag(ctx, "deleted"), flag(ctx, "latestOnly"), ctx.queryParam("subjectPrefix"))) {
                out.add(versionJson(s));
            }
            send(ctx, 200, out);
        });
        r.get(
                "/schemas/ids/{id}",
                ctx -> send(
                        ctx,
                        200,
                        Map.of("schema", service.schemaById(ctx.pathParam("id")).schema())));
        r.get(
                "/schemas/ids/{id}/schema",
                ctx -> sendRaw(ctx, service.schemaById(ctx.pathParam("id")).schema()));
        r.get(
                "/schemas/ids/{id}/subjects",
                ctx -> send(
                        ctx,
                        200,
                        service.usagesOfId(ctx.pathParam("id"), flag(ctx, "deleted")).stream()
                                .map(StoredSchema::subject)
                                .distinct()
                                .toList()));
        r.get("/schemas/ids/{id}/versions", ctx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (StoredSchema s : service.usagesOfId(ctx.pathParam("id"), flag(ctx, "deleted"))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("subject", s.subject());
                m.put("version", s.version());
                out.add(m);
            }
            send(ctx, 200, out);
        });

        r.get(
                "/subjects",
                ctx -> send(ctx, 200, service.subjects(flag(ctx, "deleted"), ctx.queryParam("subjectPrefix"))));
        r.get(
                "/subjects/{subject}/versions",
                ctx -> send(ctx, 200, service.versions(ctx.pathParam("subject"), flag(ctx, "deleted"))));
        r.get(
                "/subjects/{subject}/versions/{version}",
                ctx -> send(
                        ctx,
                        200,
                        versionJson(service.version(
                                ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted")))));
        r.get(
                "/subjects/{subject}/versions/{version}/schema",
                ctx -> sendRaw(
                        ctx,
                        service.version(ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "deleted"))
                                .schema()));
        r.get("/subjects/{subject}/versions/{version}/referencedby", ctx -> {
            service.version(ctx.pathParam("subject"), ctx.pathParam("version"), true);
            send(ctx, 200, List.of());
        });
        r.post("/subjects/{subject}/versions", ctx -> {
            SchemaRegistryService.SchemaRequest request = schemaRequest(ctx);
            send(ctx, 200, Map.of("id", service.register(ctx.pathParam("subject"), request)));
        });
        r.post("/subjects/{subject}", ctx -> {
            SchemaRegistryService.SchemaRequest request = schemaRequest(ctx);
            send(ctx, 200, versionJson(service.lookup(ctx.pathParam("subject"), request, flag(ctx, "deleted"))));
        });
        r.delete(
                "/subjects/{subject}",
                ctx -> send(ctx, 200, service.deleteSubject(ctx.pathParam("subject"), flag(ctx, "permanent"))));
        r.delete(
                "/subjects/{subject}/versions/{version}",
                ctx -> send(
                        ctx,
                        200,
                        service.deleteVersion(
                                ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "permanent"))));

        r.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> {
            SchemaRegistryService.SchemaRequest request = schemaRequest(ctx);
            sendCompatibility(
                    ctx, service.checkCompatibility(ctx.pathParam("subject"), ctx.pathParam("version"), request));
        });
        r.post("/compatibility/subjects/{subject}/versions", ctx -> {
            SchemaRegistryService.SchemaRequest request = schemaRequest(ctx);
            sendCompatibility(ctx, service.checkCompatibility(ctx.pathParam("subject"), null, request));
        });

        r.get(
                "/config",
                ctx -> send(
                        ctx,
                        200,
                        Map.of("compatibilityLevel", service.globalLevel().name())));
        r.put(
                "/config",
                ctx -> send(
                        ctx,
                        200,
                        Map.of(
                                "compatibility",
                                service.setLevel(null, compatibilityField(ctx)).name())));
        r.delete(
                "/config",
                ctx -> send(
                        ctx,
                        200,
                        Map.of("compatibilityLevel", service.deleteGlobalLevel().name())));
        r.get(
                "/config/{subject}",
                ctx -> send(
                        ctx,
                        200,
                        Map.of(
                                "compatibilityLevel",
                                service.subjectLevel(ctx.pathParam("subject"), flag(ctx, "defaultToGlobal"))
                                        .name())));
        r.put(
                "/config/{subject}",
                ctx -> send(
                        ctx,
                        200,
                        Map.of(
                                "compatibility",
                                service.setLevel(ctx.pathParam("subject"), compatibilityField(ctx))
                                        .name())));
        r.delete(
                "/config/{subject}",
                ctx -> send(
                        ctx,
                        200,
                        Map.of(
                                "compatibilityLevel",
                                service.deleteSubjectLevel(ctx.pathParam("subject"))
                                        .name())));

        r.get("/mode", ctx -> send(ctx, 200, Map.of("mode", "READWRITE")));
        r.get("/mode/{subject}", ctx -> send(ctx, 200, Map.of("mode", "READWRITE")));

        r.exception(RegistryException.class, (e, ctx) -> {
            if (e.httpStatus() >= 500) {
                LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage());
            }
            error(ctx, e.httpStatus(), e.errorCode(), e.getMessage());
        });
        r.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String message = switch (status) {
                case 404 -> "HTTP 404 Not Found";
                case 405 -> "HTTP 405 Method Not Allowed";
                case 413 -> "Request body larger than " + MAX_REQUEST_BYTES + " bytes";
                default -> e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + status : e.getMessage();
            };
            error(ctx, status, status, message);
        });
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            error(ctx, 500, 50001, "Internal error: " + e.getClass().getSimpleName());
        });
    }

    private static Map<String, Object> versionJson(StoredSchema s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", s.subject());
        m.put("version", s.version());
        m.put("id", s.id());
        m.put("schema", s.schema());
        return m;
    }

    private void sendCompatibility(Context ctx, SchemaRegistryService.CompatibilityResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", result.compatible());
        if (flag(ctx, "verbose")) {
            body.put("messages", result.messages());
        }
        send(ctx, 200, body);
    }

    private static boolean flag(Context ctx, String name) {
        return Boolean.parseBoolean(ctx.queryParam(name));
    }

    /** The JSON object in the request body; 400 when it is empty or not a JSON object. */
    private static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw RegistryException.badRequest("Request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw RegistryException.badRequest("Unrecognized request body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw RegistryException.badRequest("Unreadable request body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw RegistryException.badRequest("Request body must be a JSON object");
        }
        return node;
    }

    private static SchemaRegistryService.SchemaRequest schemaRequest(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode schema = body.get("schema");
        if (schema != null && !schema.isNull() && !schema.isTextual()) {
            throw RegistryException.invalidSchema("The \"schema\" field must be a string holding the schema JSON");
        }
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !type.isTextual()) {
            throw RegistryException.invalidSchema("The \"schemaType\" field must be a string");
        }
        JsonNode references = body.get("references");
        boolean hasReferences =
                references != null && !references.isNull() && (!references.isArray() || !references.isEmpty());
        return new SchemaRegistryService.SchemaRequest(
                schema == null || schema.isNull() ? null : schema.asText(),
                type == null || type.isNull() ? null : type.asText(),
                hasReferences);
    }

    private static String compatibilityField(Context ctx) {
        JsonNode value = body(ctx).get("compatibility");
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** Whether a Host header names this machine's loopback interface (with any port). */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return true; // HTTP/1.0 without Host: not a browser's request
        }
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127(\\.\\d{1,3}){3}");
    }

    /** The media types a request body may have (Confluent's registry accepts these). */
    static final List<String> ACCEPTED_BODY_TYPES = List.of(
            CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json", "application/octet-stream");

    private static boolean jsonContentType(Context ctx) {
        String type = ctx.contentType();
        if (type == null) {
            return false;
        }
        String media = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return ACCEPTED_BODY_TYPES.contains(media);
    }

    private static void send(Context ctx, int status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
        ctx.status(status).contentType(CONTENT_TYPE).result(text);
    }

    private static void sendRaw(Context ctx, String schema) {
        ctx.status(200).contentType(CONTENT_TYPE).result(schema);
    }

    private static void error(Context ctx, int status, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        send(ctx, status, body);
    }
}
