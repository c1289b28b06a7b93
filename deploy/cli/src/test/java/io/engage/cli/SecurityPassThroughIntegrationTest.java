package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.config.EngageConfig;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/configuration.md, {@code kafka.*} and {@code schema.registry.*}: both processes against a broker whose client
 * listener is SASL_SSL (PLAIN over TLS; nothing else is given to the processes) and a registry that speaks HTTPS only
 * and requires basic auth. A reading goes in through the gateway and comes out of the query API, which takes every
 * Kafka client of both processes (the gateway's producers, the normaliser's and the engagement application's
 * consumers, producers, admin and global clients) and the registry client of each serde: one client without the
 * settings cannot reach the cluster, and the day total never appears.
 */
@Tag("integration")
class SecurityPassThroughIntegrationTest {
    private static final String PASSWORD = "changeit";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kafkaSettingsReachEveryClientAndTheRegistryClientUsesBasicAuthOverTls(@TempDir Path tmp) throws Exception {
        Path keyStore = tmp.resolve("localhost.p12");
        Path trustStore = tmp.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "localhost",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        Path cert = tmp.resolve("localhost.crt");
        keytool(
                "-exportcert",
                "-alias",
                "localhost",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "localhost",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                PASSWORD);

        int plain = freePort();
        int secure = freePort();
        Properties broker = new Properties();
        // PLAINTEXT stays for the broker's own (inter-broker) traffic; clients are only given the SASL_SSL address
        broker.put("listeners", "PLAINTEXT://localhost:" + plain + ",SASL_SSL://localhost:" + secure);
        broker.put("advertised.listeners", "PLAINTEXT://localhost:" + plain + ",SASL_SSL://localhost:" + secure);
        broker.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        broker.put("sasl.enabled.mechanisms", "PLAIN");
        broker.put(
                "listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_engage=\"engage-secret\";");
        broker.put("listener.name.sasl_ssl.ssl.keystore.location", keyStore.toString());
        broker.put("listener.name.sasl_ssl.ssl.keystore.password", PASSWORD);
        broker.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");

        Map<String, String> kafkaSecurity = Map.of(
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"engage\""
                        + " password=\"engage-secret\";",
                "ssl.truststore.location",
                trustStore.toString(),
                "ssl.truststore.password",
                PASSWORD,
                "ssl.truststore.type",
                "PKCS12");
        String bootstrap = "localhost:" + secure;

        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), plain, broker);
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
                        bootstrap,
                        0,
                        "_schemas",
                        kafkaSecurity,
                        "registry-user:registry-secret",
                        load(keyStore),
                        PASSWORD)) {
            assertThat(registry.url()).startsWith("https://");
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", bootstrap);
            settings.put("schema.registry.url", registry.url());
            settings.put("basic.auth.credentials.source", "USER_INFO");
            settings.put("basic.auth.user.info", "registry-user:registry-secret");
            settings.put("schema.registry.ssl.truststore.location", trustStore.toString());
            settings.put("schema.registry.ssl.truststore.password", PASSWORD);
            settings.put("schema.registry.ssl.truststore.type", "PKCS12");
            kafkaSecurity.forEach((k, v) -> settings.put("kafka." + k, v));
            settings.put("data.dir", tmp.resolve("var").toString());
            settings.put("ingest.port", "0");
            settings.put("query.port", "0");
            settings.putAll(EndToEndFlow.TOKENS);
            EndToEndFlow.readingFromGatewayToQueryApi(EngageConfig.of(settings));
            HttpResponse<String> subjects = registrySubjects(registry, trustStore);
            assertThat(subjects.statusCode()).isEqualTo(200);
            assertThat(subjects.body())
                    .as("the serdes registered their schemas over HTTPS")
                    .contains("readings.raw-value")
                    .contains("activity.daily-value");
        }
    }

    /** The registry's subjects over HTTPS with basic auth (and a 401 without it). */
    private static HttpResponse<String> registrySubjects(EmbeddedSchemaRegistry registry, Path trustStore)
            throws Exception {
        javax.net.ssl.TrustManagerFactory tmf =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore));
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpClient https =
                java.net.http.HttpClient.newBuilder().sslContext(ssl).build();
        java.net.URI uri = java.net.URI.create(registry.url() + "/subjects");
        assertThat(https.send(java.net.http.HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("without credentials")
                .isEqualTo(401);
        String basic = java.util.Base64.getEncoder()
                .encodeToString("registry-user:registry-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return https.send(
                java.net.http.HttpRequest.newBuilder(uri)
                        .header("Authorization", "Basic " + basic)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
