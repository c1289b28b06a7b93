package io.engage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.config.EngageConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/configuration.md: with {@code <api>.tls.keystore} an API speaks HTTPS only, on its one port. */
class TlsTest {

    /** A self-signed key store for localhost, made with the JDK's keytool. */
    static Path keystore(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "engage",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        "changeit-123",
                        "-keypass",
                        "changeit-123")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return ks;
    }

    @Test
    void anApiWithAKeyStoreSpeaksHttpsOnlyAndItsClientContextTrustsIt(@TempDir Path dir) throws Exception {
        EngageConfig config = EngageConfig.of(
                Map.of("query.tls.keystore", keystore(dir).toString(), "query.tls.keystore.password", "changeit-123"));
        Tls tls = Tls.of(config, "query");
        assertThat(tls).isNotNull();
        assertThat(tls.toString()).doesNotContain("changeit");
        assertThat(Tls.of(config, "ingest")).as("not configured: plain HTTP").isNull();
        assertThat(Tls.scheme(tls)).isEqualTo("https");
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpApi api = HttpApi.start(
                new HttpApi.Settings("tls", "127.0.0.1", 0, "query.port", 8, 1024, tls),
                new HttpApi.Common(metrics, () -> true),
                c -> {})) {
            HttpClient trusting =
                    HttpClient.newBuilder().sslContext(tls.clientContext()).build();
            HttpResponse<String> r = trusting.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + api.port() + "/health/live"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("UP");
            assertThatThrownBy(() -> HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create("https://localhost:" + api.port() + "/health/live"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the certificate is refused")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            boolean plainAnswered;
            try {
                plainAnswered = HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://localhost:" + api.port() + "/health/live"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200;
            } catch (java.io.IOException refused) {
                plainAnswered = false;
            }
            assertThat(plainAnswered).as("no plain HTTP on the port").isFalse();
        } finally {
            metrics.close();
        }
    }

    @Test
    void aKeyStoreThatCannotBeReadIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> new Tls(dir.resolve("missing.p12"), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a readable file");
        EngageConfig config = EngageConfig.of(Map.of("ingest.tls.keystore", dir.toString() + "/missing.p12"));
        assertThatThrownBy(() -> Tls.of(config, "ingest")).hasMessageContaining("missing.p12");
    }
}
