package io.engage.streams.api;

import java.net.BindException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.engage.config.ApiTokens;
import io.engage.streams.query.DayView;
import io.engage.streams.query.ParticipantQueries;
import io.engage.streams.query.ParticipantSummary;
import io.engage.streams.query.ProgramDonations;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The query API of the streams process (SPEC section 9): participant progress and days, and a programme's
 * donations, from the local state stores, with the {@code read} token; health and metrics. Errors are {@code {"error": code, "message": text}}.
 */
public final class QueryHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin http;

    private QueryHttpServer(Javalin http) {
        this.http = http;
    }

    /** What the server needs: the queries (over the running application's stores), tokens, metrics, readiness. */
    public record Dependencies(Supplier<ParticipantQueries> queries, ApiTokens tokens, PrometheusMeterRegistry metrics,
                               BooleanSupplier ready) {
    }

    /** A request error. */
    static final class QueryException extends RuntimeException {
        final int status;
        final String code;

        QueryException(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    public static QueryHttpServer start(int port, Dependencies deps) {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2, 60_000);
        threads.setName("query-http");
        threads.setDaemon(true);
        Javalin http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = threads;
            config.http.prefer405over404 = true;
            var r = config.routes;
            r.get("/v1/participants/{id}", ctx -> {
                authorize(ctx, deps.tokens());
                String id = ctx.pathParam("id");
                ParticipantSummary s = queries(deps).summary(id).orElseThrow(() -> notFound(id));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("participantId", s.participantId());
                body.put("programId", s.programId());
                body.put("teamId", s.teamId());
                body.put("today", s.today().toString());
                body.put("stepGoalToday", s.stepGoalToday());
                body.put("currentStreak", s.currentStreak());
                body.put("longestStreak", s.longestStreak());
                body.put("points", s.points());
                body.put("donations", s.donations());
                body.put("pointsToNextDonation", s.pointsToNextDonation());
                send(ctx, 200, body);
            });
            r.get("/v1/programs/{id}/donations", ctx -> {
                authorize(ctx, deps.tokens());
                String id = ctx.pathParam("id");
                ProgramDonations p = queries(deps).donations(id).orElseThrow(
                        () -> new QueryException(404, "not_found", "no programme '" + id + "'"));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("programId", p.programId());
                body.put("budget", p.budget());
                body.put("triggered", p.triggered());
                body.put("deferred", p.deferred());
                body.put("remaining", p.remaining());
                body.put("byBeneficiary", p.byBeneficiary());
                send(ctx, 200, body);
            });
            r.get("/v1/participants/{id}/days/{date}", ctx -> {
                authorize(ctx, deps.tokens());
                String id = ctx.pathParam("id");
                LocalDate date;
                try {
                    date = LocalDate.parse(ctx.pathParam("date"));
                } catch (DateTimeParseException e) {
                    throw new QueryException(400, "bad_request", "date must be YYYY-MM-DD, was '" + ctx.pathParam("date") + "'");
                }
                DayView d = queries(deps).day(id, date).orElseThrow(() -> notFound(id));
                Map<String, Object> totals = new LinkedHashMap<>();
                totals.put("steps", d.totals().steps());
                totals.put("distance", d.totals().distance());
                totals.put("active_minutes", d.totals().activeMinutes());
                totals.put("calories", d.totals().calories());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("participantId", d.participantId());
                body.put("date", d.date().toString());
                body.put("totals", totals);
                body.put("heartRate", d.heartRate() == null ? null
                        : Map.of("min", d.heartRate().min(), "max", d.heartRate().max(), "mean", d.heartRate().mean()));
                body.put("goals", Map.of("steps", d.goals().steps(), "active_minutes", d.goals().activeMinutes()));
                body.put("achieved", Map.of("steps", d.achieved().steps(), "active_minutes", d.achieved().activeMinutes()));
                send(ctx, 200, body);
            });
            r.get("/health/live", ctx -> send(ctx, 200, Map.of("status", "UP")));
            r.get("/health/ready", ctx -> {
                boolean ready = deps.ready().getAsBoolean();
                send(ctx, ready ? 200 : 503, Map.of("status", ready ? "UP" : "DOWN"));
            });
            r.get("/metrics", ctx -> ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(deps.metrics().scrape()));
            r.exception(QueryException.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage()));
            r.exception(InvalidStateStoreException.class, (e, ctx) -> {
                ctx.header("Retry-After", "2");
                error(ctx, 503, "unavailable", "state stores are not ready (starting or rebalancing); retry shortly");
            });
            r.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                    e.getStatus() == 404 ? "not_found" : e.getStatus() == 405 ? "method_not_allowed" : "http_" + e.getStatus(),
                    e.getStatus() == 404 ? "no such resource: " + ctx.method() + " " + ctx.path() : e.getMessage()));
            r.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal", "internal error (" + e.getClass().getSimpleName() + ")");
            });
        });
        try {
            http.start("0.0.0.0", port);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException || t.getClass().getSimpleName().equals("JavalinBindException")) {
                    throw new io.engage.config.ConfigException("port " + port + " (query.port) is already in use; choose"
                            + " another with --query-port or ENGAGE_QUERY_PORT");
                }
            }
            throw e;
        }
        return new QueryHttpServer(http);
    }

    public int port() {
        return http.port();
    }

    private static ParticipantQueries queries(Dependencies deps) {
        return deps.queries().get();
    }

    private static QueryException notFound(String id) {
        return new QueryException(404, "not_found", "no participant '" + id + "' (unknown or erased)");
    }

    private static void authorize(Context ctx, ApiTokens tokens) {
        ApiTokens.Access access = tokens.access(ctx.header("Authorization"), ApiTokens.Role.read);
        if (access instanceof ApiTokens.Access.Unauthenticated u) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"engage\"");
            throw new QueryException(401, "unauthorized", u.message());
        }
        if (access instanceof ApiTokens.Access.Forbidden f) {
            throw new QueryException(403, "forbidden", f.message());
        }
    }

    private static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
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
            LOG.warn("stopping the query HTTP server: {}", e.toString());
        }
    }
}
