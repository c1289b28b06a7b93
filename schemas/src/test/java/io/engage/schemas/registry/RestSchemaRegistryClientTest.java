package io.engage.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.RawReading;
import io.engage.schemas.registry.FakeRegistryServer.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a scripted fake registry: retries, errors, auth, caching, failover. */
class RestSchemaRegistryClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = RawReading.getClassSchema();

    private FakeRegistryServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRegistryServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, Object> config(String urls) {
        Map<String, Object> c = new HashMap<>();
        c.put(RegistryClientConfig.URL, urls);
        c.put(RegistryClientConfig.BACKOFF_MS, "1");
        c.put(RegistryClientConfig.MAX_BACKOFF_MS, "5");
        c.put(RegistryClientConfig.MAX_ATTEMPTS, "4");
        c.put(RegistryClientConfig.REQUEST_TIMEOUT_MS, "5000");
        return c;
    }

    private RestSchemaRegistryClient client(Map<String, Object> config) {
        return new RestSchemaRegistryClient(RegistryClientConfig.from(config));
    }

    private RestSchemaRegistryClient client() {
        return client(config(server.url()));
    }

    private static String schemaAnswer(Schema s) throws IOException {
        return JSON.writeValueAsString(Map.of("schema", s.toString()));
    }

    @Test
    void retriesWithBackoffOn500And503ThenSucceeds() {
        server.then(
                Answer.error(500, 50001, "store error"),
                Answer.error(503, 50003, "not leader"),
                Answer.json(200, "{\"id\":7}"));
        assertThat(client().register("t-value", SCHEMA)).isEqualTo(7);
        assertThat(server.requests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/subjects/t-value/versions");
        });
    }

    @Test
    void retriesOnTooManyRequestsAndTimeoutAnswers() {
        server.then(
                Answer.error(429, 42901, "slow down"),
                Answer.error(408, 40801, "timeout"),
                Answer.json(200, "[1,2,3]"));
        assertThat(client().versions("t-value")).containsExactly(1, 2, 3);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void backoffGrowsBetweenAttempts() {
        server.always(Answer.error(503, 50003, "down"));
        Map<String, Object> c = config(server.url());
        c.put(RegistryClientConfig.BACKOFF_MS, "40");
        c.put(RegistryClientConfig.MAX_BACKOFF_MS, "1000");
        c.put(RegistryClientConfig.MAX_ATTEMPTS, "3");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client(c).subjects()).isInstanceOf(SchemaRegistryException.class);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        // jittered sleeps of at least 40/2 and 80/2 ms
        assertThat(elapsedMs).isGreaterThanOrEqualTo(60);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void givesUpAfterMaxAttempts() {
        server.always(Answer.error(503, 50003, "Error while forwarding the request to the leader"));
        SchemaRegistryException e =
                catchThrowableOfType(SchemaRegistryException.class, () -> client().register("t-value", SCHEMA));
        assertThat(e).isNotInstanceOf(IncompatibleSchemaException.class);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.errorCode()).isEqualTo(50003);
        assertThat(e).hasMessageContaining("forwarding the request");
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void noRetryOnClientErrors() {
        server.then(Answer.error(404, 40401, "Subject 'nope-value' not found."));
        SchemaRegistryException e =
                catchThrowableOfType(SchemaRegistryException.class, () -> client().latest("nope-value"));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo(40401);
        assertThat(e.isNotFound()).isTrue();
        assertThat(e)
                .hasMessageContaining("Subject 'nope-value' not found.")
                .hasMessageContaining("GET /subjects/nope-value/versions/latest");
        assertThat(server.requests()).hasSize(1);

        server.then(Answer.error(422, 42201, "Invalid schema"));
        SchemaRegistryException invalid =
                catchThrowableOfType(SchemaRegistryException.class, () -> client().register("t-value", SCHEMA));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42201);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void conflictWithCode409IsIncompatible() {
        server.then(Answer.error(409, 409, "Schema being registered is incompatible with an earlier schema"));
        IncompatibleSchemaException e =
                catchThrowableOfType(IncompatibleSchemaException.class, () -> client().register("t-value", SCHEMA));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo(409);
        assertThat(e).hasMessageContaining("incompatible with an earlier schema");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void conflictWithCode40901IsIncompatible() {
        server.then(
                Answer.error(409, 40901, "Schema being registered is incompatible with an earlier schema for subject"));
        IncompatibleSchemaException e =
                catchThrowableOfType(IncompatibleSchemaException.class, () -> client().register("t-value", SCHEMA));
        assertThat(e.errorCode()).isEqualTo(40901);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void errorBodiesThatAreNotJsonKeepTheirText() {
        server.then(new Answer(400, "<html>Bad gateway config</html>", "text/html"));
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client().subjects());
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo(400);
        assertThat(e).hasMessageContaining("<html>Bad gateway config</html>");
    }

    @Test
    void aSuccessWithABodyThatIsNotJsonFailsAtOnce() {
        server.always(new Answer(200, "<html>login page of a proxy</html>", "text/html"));
        assertThatThrownBy(() -> client().getById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("GET /schemas/ids/1")
                .hasMessageContaining("not valid JSON");
        assertThat(server.requests()).as("a bad 2xx body is not retried").hasSize(1);
    }

    @Test
    void basicAuthFromUserInfo() {
        server.always(Answer.json(200, "[]"));
        Map<String, Object> c = config(server.url());
        c.put(RegistryClientConfig.CREDENTIALS_SOURCE, "USER_INFO");
        c.put(RegistryClientConfig.USER_INFO, "alice:s3cret:with:colons");
        client(c).subjects();
        String expected = "Basic "
                + Base64.getEncoder().encodeToString("alice:s3cret:with:colons".getBytes(StandardCharsets.UTF_8));
        assertThat(server.requests().get(0).header("Authorization")).isEqualTo(expected);
    }

    @Test
    void basicAuthFromTheUrl() {
        server.always(Answer.json(200, "[]"));
        Map<String, Object> c = config("http://bob:p%40ss@127.0.0.1:" + server.port());
        c.put(RegistryClientConfig.CREDENTIALS_SOURCE, "URL");
        RegistryClientConfig parsed = RegistryClientConfig.from(c);
        assertThat(parsed.urls()).containsExactly(server.url());
        assertThat(parsed.userInfo()).isEqualTo("bob:p@ss");

        client(c).subjects();
        assertThat(server.requests().get(0).header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("bob:p@ss".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noAuthorizationHeaderWithoutCredentials() {
        server.always(Answer.json(200, "[]"));
        client().subjects();
        assertThat(server.requests().get(0).header("Authorization")).isNull();
    }

    @Test
    void getByIdIsCached() throws IOException {
        server.then(Answer.json(200, schemaAnswer(SCHEMA)));
        RestSchemaRegistryClient client = client();
        Schema first = client.getById(3);
        Schema second = client.getById(3);
        assertThat(first).isEqualTo(SCHEMA).isSameAs(second);
        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).uri()).isEqualTo("/schemas/ids/3");
        assertThat(server.requests().get(0).method()).isEqualTo("GET");
    }

    @Test
    void registerIsCachedAndFillsTheIdCache() {
        server.then(Answer.json(200, "{\"id\":12}"));
        RestSchemaRegistryClient client = client();
        assertThat(client.register("t-value", SCHEMA)).isEqualTo(12);
        assertThat(client.register("t-value", SCHEMA)).isEqualTo(12);
        assertThat(client.getById(12)).isEqualTo(SCHEMA);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void registeringAnEqualSchemaAgainNeitherCallsTheRegistryNorRendersTheSchema() {
        server.then(Answer.json(200, "{\"id\":12}"), Answer.json(200, "{\"id\":13}"));
        AtomicInteger renderings = new AtomicInteger();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                RegistryClientConfig.from(config(server.url())), new SchemaTexts(100, s -> {
                    renderings.incrementAndGet();
                    return s.toString();
                }));
        assertThat(client.register("t-value", SCHEMA)).isEqualTo(12);
        assertThat(renderings).hasValue(1);

        for (int i = 0; i < 100; i++) {
            assertThat(client.register("t-value", SCHEMA)).isEqualTo(12);
        }
        assertThat(server.requests()).as("the same instance: no HTTP").hasSize(1);
        assertThat(renderings).as("the same instance: no rendering").hasValue(1);

        Schema copy = new Schema.Parser().parse(SCHEMA.toString());
        assertThat(client.register("t-value", copy)).isEqualTo(12);
        assertThat(client.register("t-value", copy)).isEqualTo(12);
        assertThat(server.requests()).as("an equal instance: no HTTP").hasSize(1);
        assertThat(renderings).as("an equal instance is rendered once").hasValue(2);

        Schema otherDoc =
                new Schema.Parser().parse(SCHEMA.toString().replaceFirst("\"doc\":\"[^\"]*\"", "\"doc\":\"edited\""));
        assertThat(otherDoc)
                .as("Avro's equals ignores docs, the registry does not")
                .isEqualTo(SCHEMA);
        assertThat(client.register("t-value", otherDoc)).isEqualTo(13);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void nonAvroSchemasAreRefused() {
        server.then(Answer.json(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"));
        assertThatThrownBy(() -> client().getById(5))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("PROTOBUF");
    }

    @Test
    void requestsUseTheRegistryContentType() throws IOException {
        server.then(Answer.json(200, "{\"id\":1}"));
        client().register("readings.raw-value", SCHEMA);
        FakeRegistryServer.Request r = server.requests().get(0);
        assertThat(r.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(r.header("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(SCHEMA);
    }

    @Test
    void lookupLatestCompatibilityAndConfig() throws IOException {
        String meta =
                JSON.writeValueAsString(Map.of("subject", "s p/x", "version", 2, "id", 9, "schema", SCHEMA.toString()));
        server.then(
                Answer.json(200, meta),
                Answer.json(200, meta),
                Answer.json(200, "{\"is_compatible\":false}"),
                Answer.error(404, 40401, "Subject not found"),
                Answer.json(200, "{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}"),
                Answer.json(200, "{\"compatibility\":\"NONE\"}"));
        RestSchemaRegistryClient client = client();

        SchemaMetadata looked = client.lookup("s p/x", SCHEMA);
        assertThat(looked).isEqualTo(new SchemaMetadata("s p/x", 2, 9, SCHEMA));
        assertThat(client.latest("s p/x").version()).isEqualTo(2);
        assertThat(client.isCompatible("s p/x", SCHEMA)).isFalse();
        assertThat(client.isCompatible("fresh", SCHEMA))
                .as("nothing registered yet")
                .isTrue();
        assertThat(client.compatibility("s p/x")).isEqualTo("FULL_TRANSITIVE");
        client.setCompatibility(null, "NONE");

        assertThat(server.requests())
                .extracting(FakeRegistryServer.Request::method, FakeRegistryServer.Request::uri)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("POST", "/subjects/s%20p%2Fx"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/subjects/s%20p%2Fx/versions/latest"),
                        org.assertj.core.groups.Tuple.tuple(
                                "POST", "/compatibility/subjects/s%20p%2Fx/versions/latest"),
                        org.assertj.core.groups.Tuple.tuple("POST", "/compatibility/subjects/fresh/versions/latest"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/config/s%20p%2Fx?defaultToGlobal=true"),
                        org.assertj.core.groups.Tuple.tuple("PUT", "/config"));
        assertThat(JSON.readTree(server.requests().get(5).body())
                        .get("compatibility")
                        .asText())
                .isEqualTo("NONE");
        // a lookup answer is cached too
        client.lookup("s p/x", SCHEMA);
        assertThat(server.requests()).hasSize(6);
    }

    @Test
    void failsOverToTheSecondUrlWhenTheFirstIsDown() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        server.then(Answer.json(200, "{\"id\":21}"));
        RestSchemaRegistryClient client = client(config("http://127.0.0.1:" + closedPort + "," + server.url()));
        assertThat(client.register("t-value", SCHEMA)).isEqualTo(21);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void staysOnTheUrlThatAnsweredInsteadOfProbingAFailingOneFirst() throws IOException {
        try (FakeRegistryServer second = new FakeRegistryServer()) {
            server.always(Answer.error(503, 50003, "down for maintenance"));
            second.always(Answer.json(200, "[\"a-value\"]"));
            RestSchemaRegistryClient client = client(config(server.url() + "," + second.url()));
            assertThat(client.subjects()).containsExactly("a-value");
            assertThat(client.subjects()).containsExactly("a-value");
            assertThat(server.requests()).hasSize(1);
            assertThat(second.requests()).hasSize(2);
        }
    }

    @Test
    void unreachableRegistryGivesUpWithTheCause() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, Object> c = config("http://127.0.0.1:" + closedPort);
        c.put(RegistryClientConfig.MAX_ATTEMPTS, "2");
        SchemaRegistryException e = catchThrowableOfType(
                SchemaRegistryException.class, () -> client(c).subjects());
        assertThat(e.status()).isEqualTo(-1);
        assertThat(e).hasMessageContaining("unreachable").hasMessageContaining(String.valueOf(closedPort));
        assertThat(e.getCause()).isInstanceOf(IOException.class);
    }

    @Test
    void toStringNeverShowsSecrets() {
        Map<String, Object> c = config("http://bob:urlpass@127.0.0.1:" + server.port());
        c.put(RegistryClientConfig.CREDENTIALS_SOURCE, "URL");
        c.put(RegistryClientConfig.TRUSTSTORE_PASSWORD, "trustpass");
        c.put(RegistryClientConfig.KEYSTORE_PASSWORD, "keypass");
        RegistryClientConfig fromUrl = RegistryClientConfig.from(c);
        Map<String, Object> c2 = config(server.url());
        c2.put(RegistryClientConfig.USER_INFO, "alice:infopass");
        RegistryClientConfig fromInfo = RegistryClientConfig.from(c2);

        for (Object o : new Object[] {fromUrl, fromInfo, new RestSchemaRegistryClient(fromInfo)}) {
            assertThat(o.toString())
                    .doesNotContain("urlpass", "trustpass", "keypass", "infopass", "bob", "alice")
                    .contains("127.0.0.1");
        }
        assertThat(fromInfo.toString()).contains("basicAuth=true");
    }
}
