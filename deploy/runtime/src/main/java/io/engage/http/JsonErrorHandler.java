package io.engage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (requests it refuses before any route sees them, such as a path with an encoded NUL or an
 * ambiguous segment) in the APIs' error format, {@code {"error": code, "message": text}}, instead of an HTML page. No
 * stack trace or request detail is echoed.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code == 400 ? "bad_request" : "http_" + code);
        String reason = HttpStatus.getMessage(code);
        body.put("message", reason == null ? "HTTP " + code : reason + " (refused by the HTTP server)");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
    }
}
