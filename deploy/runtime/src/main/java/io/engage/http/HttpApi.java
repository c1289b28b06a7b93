package io.engage.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.config.ApiTokens;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ingest API and the query API share (docs/ingest.md, docs/query.md): a Javalin server on its own daemon thread
 * pool, bearer tokens checked by role before anything else, JSON answers, errors as
 * {@code {"error": code, "message": text}}, {@code /health/live}, {@code /health/ready} and {@code /metrics}, and one
 * log line per request at DEBUG (method, path, status, time; never a body or a token).
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How a server is set up.
     *
     * @param name            names the threads ({@code <name>-http}) and the server in logs
     * @param port            the port (0: a free one)
     * @param portSetting     the configuration key that chooses the port ({@code ingest.port}), named with its
     *                        command-line flag and environment variable when the port is taken
     * @param maxThreads      the request threads at most
     * @param maxRequestBytes the largest request body (answered 413 above it)
     * @param tls             the server's key store for HTTPS, or null for plain HTTP
     */
    public record Settings(
            String name, String host, int port, String portSetting, int maxThreads, long maxRequestBytes, Tls tls) {
        /** Plain HTTP. */
        public Settings(String name, String host, int port, String portSetting, int maxThreads, long maxRequestBytes) {
            this(name, host, port, portSetting, maxThreads, maxRequestBytes, null);
        }
    }

    /** What every server answers besides its own routes. */
    public record Common(PrometheusMeterRegistry metrics, BooleanSupplier ready) {}

    private final Javalin http;
    private final String name;

    private HttpApi(Javalin http, String name) {
        this.http = http;
        this.name = name;
    }

    /**
     * Starts a server with {@code routes} (its own routes and exception handlers) plus the common ones.
     *
     * @throws PortInUseException when the port is taken
     */
    public static HttpApi start(Settings settings, Common common, Consumer<JavalinConfig> routes) {
        QueuedThreadPool threads =
                new QueuedThreadPool(settings.maxThreads(), Math.min(4, settings.maxThreads()), 60_000);
        threads.setName(settings.name() + "-http");
        threads.setDaemon(true);
        Logger requests = LoggerFactory.getLogger(HttpApi.class.getName() + "." + settings.name());
        Javalin http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = threads;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            if (settings.tls() != null) {
                // the one connector: HTTPS on the configured host and port (no plain HTTP beside it)
                config.jetty.addConnector((server, httpConfig) -> httpsConnector(server, httpConfig, settings));
            }
            config.http.maxRequestSize = settings.maxRequestBytes();
            config.http.prefer405over404 = true;
            config.requestLogger.http((ctx, ms) -> {
                requestTimer(common.metrics(), ctx).record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
                if (requests.isDebugEnabled()) {
                    requests.debug(
                            "{} {} {} {} ms", ctx.method(), ctx.path(), ctx.statusCode(), String.format("%.1f", ms));
                }
            });
            routes.accept(config);
            commonRoutes(config, settings, common);
        });
        try {
            http.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException || t.getClass().getSimpleName().equals("JavalinBindException")) {
                    throw new PortInUseException(settings.port(), settings.portSetting());
                }
            }
            throw e;
        }
        return new HttpApi(http, settings.name());
    }

    private static org.eclipse.jetty.server.ServerConnector httpsConnector(
            org.eclipse.jetty.server.Server server,
            org.eclipse.jetty.server.HttpConfiguration httpConfig,
            Settings settings) {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl =
                new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStore(settings.tls().load());
        ssl.setKeyStorePassword(settings.tls().password());
        org.eclipse.jetty.server.SecureRequestCustomizer secure =
                new org.eclipse.jetty.server.SecureRequestCustomizer();
        // clients reach an instance by whatever name they have for it (localhost, an address): no SNI host check
        secure.setSniHostCheck(false);
        httpConfig.addCustomizer(secure);
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(
                server,
                new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
    }

    private static void commonRoutes(JavalinConfig config, Settings settings, Common common) {
        var r = config.routes;
        r.get("/health/live", ctx -> send(ctx, 200, Map.of("status", "UP")));
        r.get("/health/ready", ctx -> {
            boolean ready = common.ready().getAsBoolean();
            send(ctx, ready ? 200 : 503, Map.of("status", ready ? "UP" : "DOWN"));
        });
        r.get(
                "/metrics",
                ctx -> ctx.status(200)
                        .contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(common.metrics().scrape()));
        r.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            error(ctx, e.status(), e.code(), e.getMessage());
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
                    ? "request body is larger than " + size(settings.maxRequestBytes())
                    : status == 404 ? "no such resource: " + ctx.method() + " " + ctx.path() : e.getMessage();
            error(ctx, status, code, message);
        });
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal", "internal error (" + e.getClass().getSimpleName() + ")");
        });
    }

    /**
     * {@code http_server_requests_seconds} (docs/operations.md): Micrometer's name and tags for a served request, by
     * route template ({@code uri}: {@code /v1/participants/{id}}, {@code NOT_FOUND} for no route), method, status and
     * outcome, with histogram buckets for latency quantiles and SLO alerts.
     */
    static Timer requestTimer(MeterRegistry metrics, Context ctx) {
        int status = ctx.statusCode();
        return Timer.builder("http.server.requests")
                .description("HTTP requests served, by route template, method and status")
                .tags(
                        "method", ctx.method().name(),
                        "uri", routeTemplate(ctx, status),
                        "status", String.valueOf(status),
                        "outcome", outcome(status),
                        "exception", "none")
                .publishPercentileHistogram()
                .register(metrics);
    }

    private static String routeTemplate(Context ctx, int status) {
        io.javalin.router.Endpoint matched = null;
        try {
            matched = ctx.endpoints().matchedHttpEndpoint();
        } catch (RuntimeException noMatch) {
            // no route matched the path
        }
        if (matched != null) {
            return matched.path;
        }
        return status == 404 ? "NOT_FOUND" : "UNKNOWN";
    }

    private static String outcome(int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        if (status >= 300) {
            return "REDIRECTION";
        }
        return status >= 200 ? "SUCCESS" : "INFORMATIONAL";
    }

    /** "1 MiB" for whole mebibytes, else bytes. */
    public static String size(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }

    /**
     * The caller's principal if its bearer token holds {@code role}; otherwise a 401 (no or unknown token, with
     * {@code WWW-Authenticate}) or 403 (a token of another role).
     */
    public static ApiTokens.Principal authorize(Context ctx, ApiTokens tokens, ApiTokens.Role role) {
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

    /** Answers {@code body} as JSON. */
    public static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }

    /** Answers {@code json}, a JSON text the caller wrote. */
    public static void sendJson(Context ctx, int status, String json) {
        ctx.status(status).contentType("application/json").result(json);
    }

    /** Answers {@code {"error": code, "message": message}}. */
    public static void error(Context ctx, int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        send(ctx, status, body);
    }

    /** The port the server listens on. */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping the {} HTTP server: {}", name, e.toString());
        }
    }

    /** The configured port is taken. */
    public static final class PortInUseException extends RuntimeException {
        public PortInUseException(int port, String portSetting) {
            super("port " + port + " (" + portSetting + ") is already in use; stop the process using it or choose"
                    + " another port with --" + portSetting.replace('.', '-') + " or ENGAGE_"
                    + portSetting.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        }
    }
}
