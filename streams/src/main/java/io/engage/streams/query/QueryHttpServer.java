package io.engage.streams.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.StandingPeriod;
import io.engage.config.ApiTokens;
import io.engage.http.ApiException;
import io.engage.http.HttpApi;
import io.engage.http.Ids;
import io.engage.streams.EngagementStores;
import io.engage.streams.social.Leaderboards;
import io.engage.streams.social.StandingKeys;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API of the streams process (docs/query.md): participant progress, days and nudges, a programme's
 * donations and leaderboards (docs/social.md), the programmes and the pipeline counts of the dashboard, with the {@code
 * read} token; the dashboard page itself at {@code /} without a token; health and metrics. Any instance answers any
 * key: a key held by another instance (Kafka Streams' key metadata) is forwarded to it. Errors are {@code {"error":
 * code, "message": text}}.
 */
public final class QueryHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Largest request body (the API reads none; a body is refused above this). */
    static final long MAX_BODY_BYTES = 64L * 1024;

    private final HttpApi http;

    private QueryHttpServer(HttpApi http) {
        this.http = http;
    }

    /**
     * What the server needs: the queries (over the running application's stores), who owns which key (to forward
     * a query for a key held by another instance, or to ask every instance), the pipeline counts, tokens, metrics,
     * readiness, and the clock that says which date a leaderboard or a count without one is for.
     */
    public record Dependencies(
            Supplier<ParticipantQueries> queries,
            Supplier<SocialQueries> social,
            Supplier<KeyOwners> owners,
            PipelineTally tally,
            ApiTokens tokens,
            PrometheusMeterRegistry metrics,
            BooleanSupplier ready,
            Clock clock) {}

    /** Marks a request forwarded by another instance: answered here or refused, never forwarded again. */
    static final String FORWARDED = "X-Engage-Forwarded";

    /** Runs the requests to the other instances of a query that asks them all. */
    private static final java.util.concurrent.ExecutorService REMOTE =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "query-fan-out");
                t.setDaemon(true);
                return t;
            });

    /** The client that calls the other instances: over HTTPS trusting this instance's certificate with TLS. */
    private static final io.javalin.config.Key<HttpClient> FORWARDER = new io.javalin.config.Key<>("forwarder");

    public static QueryHttpServer start(String host, int port, Dependencies deps) {
        return start(host, port, null, deps);
    }

    /** Starts on {@code port} (0: a free port), over HTTPS with {@code tls} (null: plain HTTP). */
    public static QueryHttpServer start(String host, int port, io.engage.http.Tls tls, Dependencies deps) {
        HttpClient.Builder forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            forwarder.sslContext(tls.clientContext());
        }
        HttpClient client = forwarder.build();
        return new QueryHttpServer(HttpApi.start(
                new HttpApi.Settings("query", host, port, "query.port", 32, MAX_BODY_BYTES, tls),
                new HttpApi.Common(deps.metrics(), deps.ready()),
                config -> {
                    config.appData(FORWARDER, client);
                    var r = config.routes;
                    Dashboard.addRoutes(r);
                    r.get("/v1/programs", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        // a global store: every instance lists them all
                        HttpApi.send(
                                ctx,
                                200,
                                Map.of(
                                        "programs",
                                        queries(deps).programIds().stream()
                                                .map(id -> Map.of("programId", id))
                                                .toList()));
                    });
                    r.get("/v1/programs/{id}/goals", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        String id = Ids.require(ctx.pathParam("id"), "programme id");
                        LocalDate date = dateOrToday(ctx, deps.clock());
                        if (!queries(deps).programExists(id)) {
                            throw new ApiException(404, "not_found", "no programme '" + id + "'");
                        }
                        PipelineTally.GoalDays g = caughtUp(deps).goalDays(id, date);
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("programId", id);
                        body.put("date", date.toString());
                        body.put("goalDays", Map.of("steps", g.steps(), "active_minutes", g.activeMinutes()));
                        HttpApi.send(ctx, 200, body);
                    });
                    r.get("/v1/pipeline/readings", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        // the record's components are the answer's fields (docs/query.md)
                        HttpApi.send(ctx, 200, caughtUp(deps).readings());
                    });
                    r.get("/v1/pipeline/nudges", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        LocalDate date = dateOrToday(ctx, deps.clock());
                        PipelineTally.Nudges n = caughtUp(deps).nudges(date);
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("date", date.toString());
                        body.put("sent", n.sent());
                        body.put("sentByType", n.sentByType());
                        body.put("suppressed", n.suppressed());
                        body.put("suppressedByReason", n.suppressedByReason());
                        HttpApi.send(ctx, 200, body);
                    });
                    r.get("/v1/participants/{id}", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        String id = Ids.require(ctx.pathParam("id"), "participant id");
                        // the owner of a participant-keyed task store holds the participant's state (profiles are
                        // global)
                        if (forwarded(ctx, deps, EngagementStores.POINTS, id)) {
                            return;
                        }
                        ParticipantQueries q = queries(deps);
                        // the donation count lives with the programme's ledger, possibly on another instance
                        ParticipantSummary s = q.summary(
                                        id,
                                        (programId, participantId) -> deps.owners()
                                                .get()
                                                .remoteOwner(EngagementStores.DONATION_ACCOUNTS, programId)
                                                .map(owner -> remoteDonationCount(ctx, owner, programId, participantId))
                                                .orElseGet(() -> q.donationsOf(programId, participantId)))
                                .orElseThrow(() -> notFound(id));
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
                        HttpApi.send(ctx, 200, body);
                    });
                    r.get("/v1/programs/{id}/donations", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        String id = Ids.require(ctx.pathParam("id"), "programme id");
                        if (forwarded(ctx, deps, EngagementStores.DONATION_ACCOUNTS, id)) {
                            return;
                        }
                        ProgramDonations p = queries(deps)
                                .donations(id)
                                .orElseThrow(() -> new ApiException(404, "not_found", "no programme '" + id + "'"));
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("programId", p.programId());
                        body.put("budget", p.budget());
                        body.put("triggered", p.triggered());
                        body.put("deferred", p.deferred());
                        body.put("remaining", p.remaining());
                        body.put("byBeneficiary", p.byBeneficiary());
                        HttpApi.send(ctx, 200, body);
                    });
                    // between instances only: a participant's donation count from the instance holding the programme's
                    // ledger
                    r.get("/internal/v1/programs/{programId}/participants/{id}/donations", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        String programId = Ids.require(ctx.pathParam("programId"), "programme id");
                        requireHeldHere(deps, EngagementStores.DONATION_ACCOUNTS, programId);
                        HttpApi.send(
                                ctx,
                                200,
                                Map.of(
                                        "donations",
                                        queries(deps)
                                                .donationsOf(
                                                        programId,
                                                        Ids.require(ctx.pathParam("id"), "participant id"))));
                    });
                    r.get("/v1/participants/{id}/days/{date}", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        String id = Ids.require(ctx.pathParam("id"), "participant id");
                        // the owner of a participant-keyed task store holds the participant's state (profiles are
                        // global)
                        if (forwarded(ctx, deps, EngagementStores.POINTS, id)) {
                            return;
                        }
                        LocalDate date = parseDate(ctx.pathParam("date"));
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
                        body.put(
                                "heartRate",
                                d.heartRate() == null
                                        ? null
                                        : Map.of(
                                                "min",
                                                d.heartRate().min(),
                                                "max",
                                                d.heartRate().max(),
                                                "mean",
                                                d.heartRate().mean()));
                        body.put(
                                "goals",
                                Map.of(
                                        "steps",
                                        d.goals().steps(),
                                        "active_minutes",
                                        d.goals().activeMinutes()));
                        body.put(
                                "achieved",
                                Map.of(
                                        "steps",
                                        d.achieved().steps(),
                                        "active_minutes",
                                        d.achieved().activeMinutes()));
                        // counted where the cheers were re-keyed to, possibly another instance
                        body.put(
                                "cheersReceived",
                                deps.owners()
                                        .get()
                                        .remoteOwner(EngagementStores.CHEERS_RECEIVED, id)
                                        .map(owner -> remoteCheersReceived(ctx, owner, id, date))
                                        .orElseGet(() -> deps.social().get().cheersReceived(id, date)));
                        HttpApi.send(ctx, 200, body);
                    });
                    // between instances only: a participant's received cheers of a date, from the instance counting
                    // them
                    r.get("/internal/v1/participants/{id}/cheers/{date}", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        String id = Ids.require(ctx.pathParam("id"), "participant id");
                        requireHeldHere(deps, EngagementStores.CHEERS_RECEIVED, id);
                        HttpApi.send(
                                ctx,
                                200,
                                Map.of(
                                        "cheersReceived",
                                        deps.social().get().cheersReceived(id, parseDate(ctx.pathParam("date")))));
                    });
                    r.get("/v1/programs/{id}/leaderboard", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        LeaderboardRequest q = LeaderboardRequest.of(ctx, deps.clock());
                        List<List<Leaderboards.Entry>> partials = new ArrayList<>(deps.social()
                                .get()
                                .participantsPartial(q.programId(), q.period(), q.date(), q.limit())
                                .values());
                        // every other instance answers for its own partitions, all asked at once; the best of all
                        // is the leaderboard
                        List<CompletableFuture<List<Leaderboards.Entry>>> remote = new ArrayList<>();
                        for (String other : deps.owners().get().others(EngagementStores.RANKING)) {
                            remote.add(CompletableFuture.supplyAsync(() -> remotePartial(ctx, other, q), REMOTE));
                        }
                        for (CompletableFuture<List<Leaderboards.Entry>> answer : remote) {
                            try {
                                partials.add(answer.join());
                            } catch (CompletionException e) {
                                throw e.getCause() instanceof RuntimeException cause ? cause : e;
                            }
                        }
                        sendLeaderboard(ctx, q, "participantId", Leaderboards.merge(partials, q.limit()));
                    });
                    // between instances only: the top entries of the participant partitions this instance holds
                    r.get("/internal/v1/programs/{id}/leaderboard/partial", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        LeaderboardRequest q = LeaderboardRequest.of(ctx, deps.clock());
                        Map<Integer, List<Leaderboards.Entry>> partial =
                                deps.social().get().participantsPartial(q.programId(), q.period(), q.date(), q.limit());
                        List<Map<String, Object>> entries = new ArrayList<>();
                        for (List<Leaderboards.Entry> partition : partial.values()) {
                            for (Leaderboards.Entry e : partition) {
                                entries.add(Map.of("id", e.id(), "steps", e.steps()));
                            }
                        }
                        // the partitions answered for: the instances' parts must not overlap, and cover every one
                        HttpApi.send(ctx, 200, Map.of("partitions", partial.keySet(), "entries", entries));
                    });
                    r.get("/v1/programs/{id}/teams/leaderboard", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        LeaderboardRequest q = LeaderboardRequest.of(ctx, deps.clock());
                        // a programme's team standings are on the partition of its id
                        if (forwarded(ctx, deps, EngagementStores.TEAM_RANKING, q.programId())) {
                            return;
                        }
                        sendLeaderboard(
                                ctx,
                                q,
                                "teamId",
                                deps.social().get().teams(q.programId(), q.period(), q.date(), q.limit()));
                    });
                    r.get("/v1/participants/{id}/nudges", ctx -> {
                        HttpApi.authorize(ctx, deps.tokens(), ApiTokens.Role.read);
                        String id = Ids.require(ctx.pathParam("id"), "participant id");
                        if (forwarded(ctx, deps, EngagementStores.NUDGES, id)) {
                            return;
                        }
                        String dateParam = ctx.queryParam("date");
                        LocalDate date = dateParam == null ? null : parseDate(dateParam);
                        NudgeInbox inbox = queries(deps).nudges(id, date).orElseThrow(() -> notFound(id));
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("participantId", inbox.participantId());
                        body.put("date", inbox.date().toString());
                        body.put(
                                "sent",
                                inbox.sent().stream()
                                        .map(n -> {
                                            Map<String, Object> m = new LinkedHashMap<>();
                                            m.put("nudgeId", n.nudgeId());
                                            m.put("type", n.type().name());
                                            m.put("slot", n.slot());
                                            m.put("channel", n.channel().name());
                                            m.put("dueAt", n.dueAt().toString());
                                            m.put("at", n.at().toString());
                                            m.put("message", n.message());
                                            return m;
                                        })
                                        .toList());
                        body.put(
                                "suppressed",
                                inbox.suppressed().stream()
                                        .map(n -> {
                                            Map<String, Object> m = new LinkedHashMap<>();
                                            m.put("type", n.type().name());
                                            m.put("slot", n.slot());
                                            m.put("dueAt", n.dueAt().toString());
                                            m.put("reason", n.reason().name());
                                            return m;
                                        })
                                        .toList());
                        HttpApi.send(ctx, 200, body);
                    });
                    r.exception(InvalidStateStoreException.class, (e, ctx) -> {
                        ctx.header("Retry-After", "2");
                        HttpApi.error(
                                ctx,
                                503,
                                "unavailable",
                                "state stores are not ready (starting or rebalancing); retry shortly");
                    });
                }));
    }

    public int port() {
        return http.port();
    }

    private static ParticipantQueries queries(Dependencies deps) {
        return deps.queries().get();
    }

    /**
     * Answers the request with the owner's answer when another instance holds {@code key} of {@code store} (same
     * path, query and token; {@link #FORWARDED} set) and returns true; false when this instance holds it. A request
     * that was already forwarded is never forwarded again: if the key has moved meanwhile it answers 503.
     */
    private static boolean forwarded(Context ctx, Dependencies deps, String store, String key) {
        Optional<String> owner = deps.owners().get().remoteOwner(store, key);
        if (owner.isEmpty()) {
            return false;
        }
        if (ctx.header(FORWARDED) != null) {
            throw new InvalidStateStoreException("key '" + key + "' moved to " + owner.get() + " (rebalancing)");
        }
        String query = ctx.queryString();
        HttpResponse<String> answer = forward(ctx, owner.get() + ctx.path() + (query == null ? "" : "?" + query));
        answer.headers().firstValue("Retry-After").ifPresent(v -> ctx.header("Retry-After", v));
        ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
        return true;
    }

    /** The query parameters of a leaderboard. */
    record LeaderboardRequest(String programId, StandingPeriod period, LocalDate date, int limit) {
        static LeaderboardRequest of(Context ctx, Clock clock) {
            String periodParam = ctx.queryParam("period");
            StandingPeriod period;
            if (periodParam == null || periodParam.equals("day")) {
                period = StandingPeriod.day;
            } else if (periodParam.equals("week")) {
                period = StandingPeriod.week;
            } else {
                throw new ApiException(400, "bad_request", "period must be day or week, was '" + periodParam + "'");
            }
            String dateParam = ctx.queryParam("date");
            LocalDate date = dateParam == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : parseDate(dateParam);
            String limitParam = ctx.queryParam("limit");
            int limit = 10;
            if (limitParam != null) {
                try {
                    limit = Integer.parseInt(limitParam);
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > Leaderboards.MAX_LIMIT) {
                    throw new ApiException(
                            400,
                            "bad_request",
                            "limit must be a whole number from 1 to " + Leaderboards.MAX_LIMIT + ", was '" + limitParam
                                    + "'");
                }
            }
            return new LeaderboardRequest(Ids.require(ctx.pathParam("id"), "programme id"), period, date, limit);
        }

        String query() {
            return "?period=" + period + "&date=" + date + "&limit=" + limit;
        }
    }

    private static void sendLeaderboard(
            Context ctx, LeaderboardRequest q, String idField, List<Leaderboards.Ranked> ranked) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("programId", q.programId());
        body.put("period", q.period().name());
        body.put("date", q.date().toString());
        body.put("periodStart", StandingKeys.periodStart(q.period(), q.date()).toString());
        body.put(
                "entries",
                ranked.stream()
                        .map(e -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("rank", e.rank());
                            m.put(idField, e.id());
                            m.put("steps", e.steps());
                            return m;
                        })
                        .toList());
        HttpApi.send(ctx, 200, body);
    }

    private static List<Leaderboards.Entry> remotePartial(Context ctx, String owner, LeaderboardRequest q) {
        List<Leaderboards.Entry> out = new ArrayList<>();
        for (JsonNode e : remoteJson(
                        ctx,
                        owner,
                        "/internal/v1/programs/" + encode(q.programId()) + "/leaderboard/partial" + q.query())
                .path("entries")) {
            out.add(new Leaderboards.Entry(
                    e.path("id").asText(), e.path("steps").asLong()));
        }
        return out;
    }

    private static long remoteCheersReceived(Context ctx, String owner, String participantId, LocalDate date) {
        return remoteJson(ctx, owner, "/internal/v1/participants/" + encode(participantId) + "/cheers/" + date)
                .path("cheersReceived")
                .asLong();
    }

    /** The {@code date} parameter, or today's UTC date (as a leaderboard without a date). */
    private static LocalDate dateOrToday(Context ctx, Clock clock) {
        String dateParam = ctx.queryParam("date");
        return dateParam == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : parseDate(dateParam);
    }

    /**
     * The pipeline counts once they are whole: until the feed has read its topics up to where they ended when it
     * started, or after it stopped following them, 503 with {@code Retry-After} (as while stores restore) and why.
     */
    private static PipelineTally caughtUp(Dependencies deps) {
        if (!deps.tally().caughtUp()) {
            String stopped = deps.tally().stopped();
            throw new ApiException(
                    503,
                    "unavailable",
                    stopped == null
                            ? "the pipeline counts are still reading their topics; retry shortly"
                            : "the pipeline counts stopped following their topics (" + stopped + "); see the log",
                    Map.of("Retry-After", "2"));
        }
        return deps.tally();
    }

    private static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "bad_request", "date must be YYYY-MM-DD, was '" + text + "'");
        }
    }

    private static long remoteDonationCount(Context ctx, String owner, String programId, String participantId) {
        return remoteJson(
                        ctx,
                        owner,
                        "/internal/v1/programs/" + encode(programId) + "/participants/" + encode(participantId)
                                + "/donations")
                .path("donations")
                .asLong();
    }

    /** The JSON answer of another instance to {@code path}; anything but a readable 200 means retry (503). */
    private static JsonNode remoteJson(Context ctx, String owner, String path) {
        HttpResponse<String> answer = forward(ctx, owner + path);
        if (answer.statusCode() != 200) {
            throw new InvalidStateStoreException("the instance at " + owner + " answered " + answer.statusCode());
        }
        try {
            return JSON.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new InvalidStateStoreException("unreadable answer from " + owner + ": " + e.getOriginalMessage());
        }
    }

    /** Refuses (503) a request between instances for a key this instance no longer holds (a rebalance). */
    private static void requireHeldHere(Dependencies deps, String store, String key) {
        if (deps.owners().get().remoteOwner(store, key).isPresent()) {
            throw new InvalidStateStoreException("'" + key + "' of " + store + " is no longer held here");
        }
    }

    /** GET {@code url} with the caller's token; an instance that cannot be reached means retry (503). */
    private static HttpResponse<String> forward(Context ctx, String url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header(FORWARDED, "1")
                .GET();
        String auth = ctx.header("Authorization");
        if (auth != null) {
            request.header("Authorization", auth);
        }
        try {
            return ctx.appData(FORWARDER).send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InvalidStateStoreException("the instance at " + url + " cannot be reached: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidStateStoreException("interrupted while asking " + url);
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "not_found", "no participant '" + id + "' (unknown or erased)");
    }

    @Override
    public void close() {
        http.close();
    }
}
