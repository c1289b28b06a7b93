package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.config.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The HTTP calls of the tests that drive a local stack through its APIs, with the stack's tokens. */
final class StackHttp {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String ingest;
    private final ApiTokens tokens;

    /** @param ingest the gateway and admin API's base URL */
    StackHttp(String ingest, ApiTokens tokens) {
        this.ingest = ingest;
        this.tokens = tokens;
    }

    String token(ApiTokens.Role role) {
        return tokens.first(role).orElseThrow();
    }

    /** {@code PUT} of a JSON body to the admin API; asserts 200. */
    void put(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + path))
                        .header("Authorization", "Bearer " + token(ApiTokens.Role.admin))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** {@code DELETE} on the admin API. */
    HttpResponse<String> delete(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + path))
                        .header("Authorization", "Bearer " + token(ApiTokens.Role.admin))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST} of a JSON body to the gateway or admin API with the token of {@code role}. */
    HttpResponse<String> post(String path, String body, ApiTokens.Role role) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + path))
                        .header("Authorization", "Bearer " + token(role))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET} of any URL, with {@code token} when not null. */
    static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
