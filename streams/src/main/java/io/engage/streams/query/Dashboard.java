package io.engage.streams.query;

import io.engage.http.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard page at {@code /} (docs/query.md, "Dashboard"): plain HTML, CSS and JavaScript from the jar's {@code
 * dashboard/} folder, served without a token (the page asks for the read token and sends it with its API calls). Only
 * the files named here are served, read once at start.
 */
final class Dashboard {
    /** The page's files and their content types. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    /**
     * No inline script or style and nothing from elsewhere: the page's own files and the API of the same origin.
     * Framing is refused (the page shows what a read token gives).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private Dashboard() {}

    static void addRoutes(RoutesConfig r) {
        Map<String, byte[]> files = new java.util.HashMap<>();
        FILES.keySet().forEach(name -> files.put(name, read(name)));
        r.get("/", ctx -> serve(ctx, "index.html", files));
        r.get("/dashboard/{file}", ctx -> {
            String name = ctx.pathParam("file");
            if (!files.containsKey(name)) {
                throw new ApiException(404, "not_found", "no such resource: GET " + ctx.path());
            }
            serve(ctx, name, files);
        });
    }

    private static void serve(Context ctx, String name, Map<String, byte[]> files) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        // small files that change with the jar: always revalidated, never stale after an upgrade
        ctx.header("Cache-Control", "no-cache");
        ctx.status(200).contentType(FILES.get(name)).result(files.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading dashboard/" + name, e);
        }
    }
}
