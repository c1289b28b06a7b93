package io.engage.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.kafka.PortInUseException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded registry against a real in-process Kafka broker, spoken to over HTTP. */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedSchemaRegistryTest {
    private static final String CT = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @TempDir
    static Path kafkaDir;

    static EmbeddedKafka kafka;
    static HttpClient http;

    private EmbeddedSchemaRegistry registry;
    private String topic;

    // Schemas used across tests.
    private static final String USER_V1 = record("User", field("id", "\"long\""));
    private static final String USER_V1_SPACED = "{ \"type\" : \"record\",  \"name\" : \"User\",\n"
            + "  \"fields\" : [ { \"name\" : \"id\", \"type\" : \"long\" } ] }";
    private static final String USER_V2_DEFAULT =
            record("User", field("id", "\"long\""), field("name", "\"string\"", "\"\""));
    private static final String USER_V2_NO_DEFAULT =
            record("User", field("id", "\"long\""), field("name", "\"string\""));
    private static final String USER_EMPTY = record("User");

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(kafkaDir, 0);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void startRegistry() {
        topic = "_schemas-test-" + TOPICS.incrementAndGet();
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, topic);
    }

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    // ------------------------------------------------------------------ basics

    @Test
    void servesRootTypesAndMode() throws Exception {
        assertThat(registry.url()).isEqualTo("http://localhost:" + registry.port());
        Response root = get("/");
        assertThat(root.status).isEqualTo(200);
        assertThat(root.contentType).startsWith(CT);
        assertThat(root.json.isObject()).isTrue();
        assertThat(root.json.size()).isZero();
        assertThat(get("/schemas/types").body).isEqualTo("[\"AVRO\"]");
        assertThat(get("/mode").json.path("mode").asText()).isEqualTo("READWRITE");
        assertThat(get("/mode/anything").json.path("mode").asText()).isEqualTo("READWRITE");
        assertThat(get("/subjects").body).isEqualTo("[]");
    }

    @Test
    void registeringTheSameSchemaReturnsTheSameIdWithoutANewVersion() throws Exception {
        int id = register("users-value", USER_V1);
        assertThat(register("users-value", USER_V1)).isEqualTo(id);
        assertThat(register("users-value", USER_V1_SPACED)).isEqualTo(id);
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[1]");

        // the same schema in another subject: same id, version 1 there
        assertThat(register("other-value", USER_V1_SPACED)).isEqualTo(id);
        assertThat(get("/subjects/other-value/versions").body).isEqualTo("[1]");
        assertThat(get("/subjects").body).isEqualTo("[\"other-value\",\"users-value\"]");

        // a different schema gets the next id
        assertThat(register("users-value", USER_V2_DEFAULT)).isEqualTo(id + 1);
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[1,2]");
    }

    @Test
    void getsSchemasById() throws Exception {
        int id = register("users-value", USER_V1_SPACED);
        register("other-value", USER_V1);

        Response byId = get("/schemas/ids/" + id);
        assertThat(byId.status).isEqualTo(200);
        assertThat(byId.contentType).startsWith(CT);
        assertThat(byId.json.path("schema").asText()).isEqualTo(USER_V1);
        assertThat(byId.json.has("schemaType")).isFalse();

        Response raw = get("/schemas/ids/" + id + "/schema");
        assertThat(raw.status).isEqualTo(200);
        assertThat(JSON.readTree(raw.body)).isEqualTo(JSON.readTree(USER_V1));

        assertThat(get("/schemas/ids/" + id + "/subjects").body).isEqualTo("[\"other-value\",\"users-value\"]");
        Response versions = get("/schemas/ids/" + id + "/versions");
        assertThat(versions.json).hasSize(2);
        assertThat(versions.json.get(0).path("subject").asText()).isEqualTo("other-value");
        assertThat(versions.json.get(0).path("version").asInt()).isEqualTo(1);

        Response all = get("/schemas");
        assertThat(all.json).hasSize(2);
        assertThat(all.json.get(0).path("id").asInt()).isEqualTo(id);
        assertThat(get("/subjects/users-value/versions/1/referencedby").body).isEqualTo("[]");
        assertError(get("/subjects/users-value/versions/2/referencedby"), 404, 40402);
    }

    @Test
    void unknownIdIs40403() throws Exception {
        assertError(get("/schemas/ids/999"), 404, 40403);
        assertError(get("/schemas/ids/999/schema"), 404, 40403);
        assertError(get("/schemas/ids/999/subjects"), 404, 40403);
        assertError(get("/schemas/ids/999/versions"), 404, 40403);
        assertError(get("/schemas/ids/not-a-number"), 404, 40403);
    }

    @Test
    void versionsLatestAndLookup() throws Exception {
        int id1 = register("users-value", USER_V1);
        int id2 = register("users-value", USER_V2_DEFAULT);

        Response latest = get("/subjects/users-value/versions/latest");
        assertThat(latest.status).isEqualTo(200);
        assertThat(latest.json.path("subject").asText()).isEqualTo("users-value");
        assertThat(latest.json.path("version").asInt()).isEqualTo(2);
        assertThat(latest.json.path("id").asInt()).isEqualTo(id2);
        assertThat(latest.json.path("schema").asText()).isEqualTo(USER_V2_DEFAULT);
        assertThat(get("/subjects/users-value/versions/-1").json.path("version").asInt())
                .isEqualTo(2);

        Response v1 = get("/subjects/users-value/versions/1");
        assertThat(v1.json.path("id").asInt()).isEqualTo(id1);
        assertThat(v1.json.path("version").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(get("/subjects/users-value/versions/1/schema").body))
                .isEqualTo(JSON.readTree(USER_V1));

        assertError(get("/subjects/users-value/versions/3"), 404, 40402);
        assertError(get("/subjects/nobody/versions/1"), 404, 40401);
        assertError(get("/subjects/nobody/versions/latest"), 404, 40401);
        assertError(get("/subjects/nobody/versions"), 404, 40401);
        assertError(get("/subjects/users-value/versions/abc"), 422, 42202);
        assertError(get("/subjects/users-value/versions/0"), 422, 42202);

        Response lookup = post("/subjects/users-value", schemaBody(USER_V1_SPACED));
        assertThat(lookup.status).isEqualTo(200);
        assertThat(lookup.json.path("subject").asText()).isEqualTo("users-value");
        assertThat(lookup.json.path("id").asInt()).isEqualTo(id1);
        assertThat(lookup.json.path("version").asInt()).isEqualTo(1);
        assertThat(lookup.json.path("schema").asText()).isEqualTo(USER_V1);

        assertError(post("/subjects/users-value", schemaBody(USER_V2_NO_DEFAULT)), 404, 40403);
        assertError(post("/subjects/nobody", schemaBody(USER_V1)), 404, 40401);
        assertError(post("/subjects/users-value", schemaBody("{not avro")), 422, 42201);
    }

    // ------------------------------------------------------------------ compatibility

    @Test
    void backwardIsTheDefault() throws Exception {
        register("users-value", USER_V1);
        assertError(post("/subjects/users-value/versions", schemaBody(USER_V2_NO_DEFAULT)), 409, 409);
        assertThat(isCompatible("users-value", "latest", USER_V2_NO_DEFAULT)).isFalse();
        assertThat(isCompatible("users-value", "latest", USER_V2_DEFAULT)).isTrue();
        assertThat(register("users-value", USER_V2_DEFAULT)).isPositive();
        // BACKWARD allows removing a field: the new reader ignores it
        assertThat(isCompatible("users-value", null, record("User", field("name", "\"string\"", "\"\""))))
                .isTrue();
    }

    @Test
    void forwardLevel() throws Exception {
        setSubjectLevel("users-value", "FORWARD");
        register("users-value", USER_V2_NO_DEFAULT);
        // removing a field without default: an old reader cannot read new data
        assertError(post("/subjects/users-value/versions", schemaBody(USER_V1)), 409, 409);
        // adding a field without default is fine: old readers ignore it
        String added = record("User", field("id", "\"long\""), field("name", "\"string\""), field("age", "\"int\""));
        assertThat(isCompatible("users-value", null, added)).isTrue();
        assertThat(register("users-value", added)).isPositive();
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[1,2]");
    }

    @Test
    void fullLevel() throws Exception {
        setSubjectLevel("users-value", "FULL");
        register("users-value", USER_V1);
        assertError(post("/subjects/users-value/versions", schemaBody(USER_V2_NO_DEFAULT)), 409, 409);
        assertThat(register("users-value", USER_V2_DEFAULT)).isPositive();
        // removing a field without default breaks FORWARD, hence FULL
        assertError(
                post("/subjects/users-value/versions", schemaBody(record("User", field("name", "\"string\"", "\"\"")))),
                409,
                409);
    }

    @Test
    void noneLevelAcceptsAnything() throws Exception {
        setSubjectLevel("users-value", "NONE");
        register("users-value", USER_V1);
        assertThat(isCompatible("users-value", "latest", "\"string\"")).isTrue();
        assertThat(register("users-value", "\"string\"")).isPositive();
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[1,2]");
    }

    /**
     * The chain v1 {a: string = ""}, v2 {}, v3 {a: int = 0}: each step is FULL-compatible with the one
     * before, but v3 and v1 disagree on the type of a.
     */
    @ParameterizedTest
    @ValueSource(strings = {"BACKWARD", "FORWARD", "FULL"})
    void transitiveLevelsCheckEveryVersion(String level) throws Exception {
        String subject = "chain-" + level.toLowerCase();
        String v1 = record("R", field("a", "\"string\"", "\"\""));
        String v2 = record("R");
        String v3 = record("R", field("a", "\"int\"", "0"));
        setSubjectLevel(subject, level + "_TRANSITIVE");
        register(subject, v1);
        register(subject, v2);

        // against the latest only: fine; against version 1: not
        assertThat(isCompatible(subject, "latest", v3)).isTrue();
        assertThat(isCompatible(subject, "2", v3)).isTrue();
        assertThat(isCompatible(subject, "1", v3)).isFalse();
        // the transitive level checks both
        assertThat(isCompatible(subject, null, v3)).isFalse();
        Response refused = post("/subjects/" + subject + "/versions", schemaBody(v3));
        assertError(refused, 409, 409);
        assertThat(refused.json.path("message").asText())
                .contains("oldSchemaVersion: 1")
                .contains(level + "_TRANSITIVE");

        Response verbose = post("/compatibility/subjects/" + subject + "/versions?verbose=true", schemaBody(v3));
        assertThat(verbose.json.path("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.json.path("messages").isArray()).isTrue();
        assertThat(verbose.json.path("messages").toString()).contains("TYPE_MISMATCH");
        assertThat(post("/compatibility/subjects/" + subject + "/versions", schemaBody(v3))
                        .json
                        .has("messages"))
                .isFalse();

        // the non-transitive level accepts it
        setSubjectLevel(subject, level);
        assertThat(isCompatible(subject, null, v3)).isTrue();
        assertThat(register(subject, v3)).isPositive();
        assertThat(get("/subjects/" + subject + "/versions").body).isEqualTo("[1,2,3]");
    }

    @Test
    void compatibilityErrors() throws Exception {
        register("users-value", USER_V1);
        assertError(post("/compatibility/subjects/nobody/versions/1", schemaBody(USER_V1)), 404, 40401);
        assertError(post("/compatibility/subjects/users-value/versions/7", schemaBody(USER_V1)), 404, 40402);
        assertError(post("/compatibility/subjects/users-value/versions/zero", schemaBody(USER_V1)), 422, 42202);
        assertError(post("/compatibility/subjects/users-value/versions/latest", schemaBody("{bad")), 422, 42201);
        // nothing to be incompatible with
        assertThat(isCompatible("nobody", "latest", USER_V1)).isTrue();
        assertThat(isCompatible("nobody", null, USER_V1)).isTrue();
        Response verbose =
                post("/compatibility/subjects/users-value/versions/latest?verbose=true", schemaBody(USER_V2_DEFAULT));
        assertThat(verbose.json.path("is_compatible").asBoolean()).isTrue();
        assertThat(verbose.json.path("messages").isArray()).isTrue();
    }

    // ------------------------------------------------------------------ config

    @Test
    void globalAndSubjectConfig() throws Exception {
        assertThat(get("/config").json.path("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        Response put = put("/config", "{\"compatibility\": \"FULL\"}");
        assertThat(put.status).isEqualTo(200);
        assertThat(put.json.path("compatibility").asText()).isEqualTo("FULL");
        assertThat(get("/config").json.path("compatibilityLevel").asText()).isEqualTo("FULL");
        assertError(put("/config", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
        assertError(put("/config", "{}"), 422, 42203);

        assertError(get("/config/users-value"), 404, 40408);
        assertThat(get("/config/users-value?defaultToGlobal=true")
                        .json
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("FULL");
        assertThat(put("/config/users-value", "{\"compatibility\": \"none\"}")
                        .json
                        .path("compatibility")
                        .asText())
                .isEqualTo("NONE");
        assertThat(get("/config/users-value").json.path("compatibilityLevel").asText())
                .isEqualTo("NONE");
        assertError(put("/config/users-value", "{\"compatibility\": \"x\"}"), 422, 42203);

        // the subject level wins over the global one
        register("users-value", USER_V1);
        assertThat(register("users-value", "\"string\"")).isPositive();

        Response deleted = delete("/config/users-value");
        assertThat(deleted.status).isEqualTo(200);
        assertThat(deleted.json.path("compatibilityLevel").asText()).isEqualTo("NONE");
        assertError(get("/config/users-value"), 404, 40408);
        assertError(delete("/config/users-value"), 404, 40408);
        assertError(delete("/config/nobody"), 404, 40401);

        assertThat(delete("/config").json.path("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(get("/config").json.path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    // ------------------------------------------------------------------ deletes

    @Test
    void softAndPermanentVersionDeletes() throws Exception {
        int id1 = register("users-value", USER_V1);
        register("users-value", USER_V2_DEFAULT);

        assertError(delete("/subjects/users-value/versions/1?permanent=true"), 404, 40407);
        Response soft = delete("/subjects/users-value/versions/1");
        assertThat(soft.status).isEqualTo(200);
        assertThat(soft.body).isEqualTo("1");
        assertError(delete("/subjects/users-value/versions/1"), 404, 40406);
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[2]");
        assertThat(get("/subjects/users-value/versions?deleted=true").body).isEqualTo("[1,2]");
        assertError(get("/subjects/users-value/versions/1"), 404, 40402);
        assertThat(get("/subjects/users-value/versions/1?deleted=true")
                        .json
                        .path("id")
                        .asInt())
                .isEqualTo(id1);
        // a soft-deleted schema still resolves by id (consumers need it)
        assertThat(get("/schemas/ids/" + id1).status).isEqualTo(200);
        assertThat(get("/schemas/ids/" + id1 + "/subjects").body).isEqualTo("[]");
        assertThat(get("/schemas/ids/" + id1 + "/subjects?deleted=true").body).isEqualTo("[\"users-value\"]");
        assertError(post("/subjects/users-value", schemaBody(USER_V1)), 404, 40403);
        assertThat(post("/subjects/users-value?deleted=true", schemaBody(USER_V1))
                        .json
                        .path("version")
                        .asInt())
                .isEqualTo(1);

        Response permanent = delete("/subjects/users-value/versions/1?permanent=true");
        assertThat(permanent.status).isEqualTo(200);
        assertThat(permanent.body).isEqualTo("1");
        assertThat(get("/subjects/users-value/versions?deleted=true").body).isEqualTo("[2]");
        assertError(get("/schemas/ids/" + id1), 404, 40403);

        assertError(delete("/subjects/users-value/versions/9"), 404, 40402);
        assertError(delete("/subjects/users-value/versions/nine"), 422, 42202);
        assertError(delete("/subjects/nobody/versions/1"), 404, 40401);
    }

    @Test
    void softAndPermanentSubjectDeletes() throws Exception {
        int id1 = register("users-value", USER_V1);
        int id2 = register("users-value", USER_V2_DEFAULT);
        put("/config/users-value", "{\"compatibility\": \"FULL\"}");

        assertError(delete("/subjects/users-value?permanent=true"), 404, 40405);
        Response soft = delete("/subjects/users-value");
        assertThat(soft.status).isEqualTo(200);
        assertThat(soft.body).isEqualTo("[1,2]");
        assertError(delete("/subjects/users-value"), 404, 40404);
        assertThat(get("/subjects").body).isEqualTo("[]");
        assertThat(get("/subjects?deleted=true").body).isEqualTo("[\"users-value\"]");
        assertError(get("/subjects/users-value/versions"), 404, 40401);
        assertError(get("/subjects/users-value/versions/latest"), 404, 40401);
        assertThat(get("/subjects/users-value/versions/latest?deleted=true")
                        .json
                        .path("version")
                        .asInt())
                .isEqualTo(2);
        assertError(get("/config/users-value"), 404, 40408); // a soft subject delete drops its config
        assertThat(get("/schemas/ids/" + id2).status).isEqualTo(200);

        Response permanent = delete("/subjects/users-value?permanent=true");
        assertThat(permanent.status).isEqualTo(200);
        assertThat(permanent.body).isEqualTo("[1,2]");
        assertThat(get("/subjects?deleted=true").body).isEqualTo("[]");
        assertError(get("/schemas/ids/" + id1), 404, 40403);
        assertError(delete("/subjects/users-value"), 404, 40401);
        assertError(delete("/subjects/users-value?permanent=true"), 404, 40401);

        // registering again starts the subject over, with a fresh id
        assertThat(register("users-value", USER_V1)).isGreaterThan(id2);
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[1]");
    }

    @Test
    void reRegisteringASoftDeletedSchemaKeepsItsId() throws Exception {
        int id = register("users-value", USER_V1);
        delete("/subjects/users-value");
        assertThat(register("users-value", USER_V1)).isEqualTo(id);
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[2]");
    }

    // ------------------------------------------------------------------ storage

    @Test
    void restartKeepsIdsVersionsAndConfig() throws Exception {
        int a = register("users-value", USER_V1);
        int b = register("users-value", USER_V2_DEFAULT);
        assertThat(register("other-value", USER_V1)).isEqualTo(a);
        int c = register("third-value", "\"string\"");
        put("/config", "{\"compatibility\": \"FORWARD\"}");
        put("/config/other-value", "{\"compatibility\": \"NONE\"}");
        delete("/subjects/third-value/versions/1");

        registry.close();
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, topic);

        assertThat(get("/subjects").body).isEqualTo("[\"other-value\",\"users-value\"]");
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[1,2]");
        assertThat(get("/subjects/users-value/versions/1").json.path("id").asInt())
                .isEqualTo(a);
        assertThat(get("/subjects/users-value/versions/2").json.path("id").asInt())
                .isEqualTo(b);
        assertThat(get("/subjects/other-value/versions/latest").json.path("id").asInt())
                .isEqualTo(a);
        assertThat(get("/subjects/third-value/versions?deleted=true").body).isEqualTo("[1]");
        assertThat(get("/schemas/ids/" + c).json.path("schema").asText()).isEqualTo("\"string\"");
        assertThat(get("/config").json.path("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertThat(get("/config/other-value").json.path("compatibilityLevel").asText())
                .isEqualTo("NONE");

        // known schemas keep their ids, a new one gets the next
        assertThat(register("users-value", USER_V1)).isEqualTo(a);
        assertThat(register("more-value", USER_V2_DEFAULT)).isEqualTo(b);
        int next = register(
                "users-value",
                record(
                        "User",
                        field("id", "\"long\""),
                        field("name", "\"string\"", "\"\""),
                        field("email", "\"string\"")));
        assertThat(next).isEqualTo(c + 1);
        assertThat(get("/subjects/users-value/versions").body).isEqualTo("[1,2,3]");
    }

    @Test
    void writesConfluentRecordsToACompactedTopic() throws Exception {
        int id = register("users-value", USER_V1);
        put("/config", "{\"compatibility\": \"FULL\"}");
        delete("/subjects/users-value");
        delete("/subjects/users-value?permanent=true");

        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.currentTimeMillis() + 20_000;
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(consumer.partitionsFor(topic)).hasSize(1);
        }
        assertThat(records).hasSize(4);
        JsonNode key0 = JSON.readTree(records.get(0).key());
        assertThat(key0.path("keytype").asText()).isEqualTo("SCHEMA");
        assertThat(key0.path("subject").asText()).isEqualTo("users-value");
        assertThat(key0.path("version").asInt()).isEqualTo(1);
        assertThat(key0.path("magic").asInt()).isEqualTo(1);
        JsonNode value0 = JSON.readTree(records.get(0).value());
        assertThat(value0.path("id").asInt()).isEqualTo(id);
        assertThat(value0.path("schema").asText()).isEqualTo(USER_V1);
        assertThat(value0.path("deleted").asBoolean()).isFalse();

        JsonNode key1 = JSON.readTree(records.get(1).key());
        assertThat(key1.path("keytype").asText()).isEqualTo("CONFIG");
        assertThat(key1.get("subject").isNull()).isTrue();
        assertThat(key1.path("magic").asInt()).isZero();
        assertThat(JSON.readTree(records.get(1).value())
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("FULL");

        assertThat(records.get(2).key()).isEqualTo(records.get(0).key());
        assertThat(JSON.readTree(records.get(2).value()).path("deleted").asBoolean())
                .isTrue();
        assertThat(records.get(3).key()).isEqualTo(records.get(0).key());
        assertThat(records.get(3).value()).isNull();
    }

    @Test
    void readsATopicConfluentWrote() throws Exception {
        String confluentTopic = topic + "-confluent";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(confluentTopic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        String orders = record("Order", field("id", "\"long\""));
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            String[][] records = {
                {"{\"keytype\":\"NOOP\",\"magic\":0}", null},
                {
                    "{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":1,\"magic\":1}",
                    JSON.writeValueAsString(Map.of(
                            "subject", "orders-value", "version", 1, "id", 7, "schema", orders, "deleted", false))
                },
                {
                    "{\"keytype\":\"SCHEMA\",\"subject\":\"old-value\",\"version\":1,\"magic\":1}",
                    JSON.writeValueAsString(Map.of(
                            "subject", "old-value", "version", 1, "id", 3, "schema", "\"string\"", "deleted", false))
                },
                {
                    "{\"keytype\":\"SCHEMA\",\"subject\":\"old-value\",\"version\":2,\"magic\":1}",
                    JSON.writeValueAsString(Map.of(
                            "subject", "old-value", "version", 2, "id", 4, "schema", "\"long\"", "deleted", false))
                },
                {
                    "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"old-value\",\"magic\":0}",
                    "{\"subject\":\"old-value\",\"version\":2}"
                },
                {
                    "{\"keytype\":\"SCHEMA\",\"subject\":\"proto-value\",\"version\":1,\"magic\":1}",
                    JSON.writeValueAsString(Map.of(
                            "subject",
                            "proto-value",
                            "version",
                            1,
                            "id",
                            9,
                            "schema",
                            "syntax = \"proto3\";",
                            "schemaType",
                            "PROTOBUF",
                            "deleted",
                            false))
                },
                {
                    "{\"keytype\":\"CONFIG\",\"subject\":\"orders-value\",\"magic\":0}",
                    "{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}"
                },
                {"{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}", "{\"mode\":\"READWRITE\"}"},
                {"not json", "{}"},
            };
            for (String[] r : records) {
                producer.send(new ProducerRecord<>(confluentTopic, 0, r[0], r[1]))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        registry.close();
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, confluentTopic);

        assertThat(get("/subjects").body).isEqualTo("[\"orders-value\"]");
        assertThat(get("/subjects?deleted=true").body).isEqualTo("[\"old-value\",\"orders-value\"]");
        assertThat(get("/subjects/orders-value/versions/1").json.path("id").asInt())
                .isEqualTo(7);
        assertThat(get("/config/orders-value").json.path("compatibilityLevel").asText())
                .isEqualTo("FULL_TRANSITIVE");
        assertThat(get("/schemas/ids/4").json.path("schema").asText()).isEqualTo("\"long\"");
        assertError(get("/schemas/ids/9"), 404, 40403);
        assertThat(register("orders-value", orders)).isEqualTo(7);
        // ids above every id in the topic, the ignored Protobuf one included
        assertThat(register("new-value", "\"bytes\"")).isEqualTo(10);
    }

    @Test
    void concurrentRegistrationsGetDistinctIds() throws Exception {
        put("/config", "{\"compatibility\": \"NONE\"}");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String schema = record("R" + i, field("f", "\"int\""));
                String subject = "s" + (i % 3);
                results.add(pool.submit((Callable<Integer>) () -> register(subject, schema)));
            }
            Set<Integer> ids = new HashSet<>();
            for (Future<Integer> f : results) {
                ids.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(ids).hasSize(12).allMatch(i -> i >= 1 && i <= 12);
            assertThat(get("/subjects/s0/versions").body).isEqualTo("[1,2,3,4]");
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ bad requests

    @Test
    void invalidSchemasAre42201() throws Exception {
        assertError(post("/subjects/x/versions", schemaBody("{\"type\": \"record\", \"fields\": []}")), 422, 42201);
        assertError(post("/subjects/x/versions", schemaBody("not json at all")), 422, 42201);
        assertError(
                post("/subjects/x/versions", schemaBody(record("R", field("a", "\"int\"", "\"text\"")))), 422, 42201);
        assertError(post("/subjects/x/versions", "{}"), 422, 42201);
        assertError(post("/subjects/x/versions", "{\"schema\": 5}"), 422, 42201);
        assertError(
                post(
                        "/subjects/x/versions",
                        "{\"schema\": \"syntax = \\\"proto3\\\";\", " + "\"schemaType\": \"PROTOBUF\"}"),
                422,
                42201);
        assertError(
                post(
                        "/subjects/x/versions",
                        "{\"schema\": \"\\\"string\\\"\", \"references\": "
                                + "[{\"name\": \"a\", \"subject\": \"b\", \"version\": 1}]}"),
                422,
                42201);
        assertThat(post(
                                "/subjects/x/versions",
                                "{\"schema\": \"\\\"string\\\"\", \"schemaType\": \"AVRO\", " + "\"references\": []}")
                        .status)
                .isEqualTo(200);
        assertThat(get("/subjects").body).isEqualTo("[\"x\"]");
    }

    @Test
    void malformedRequestsGetJsonErrors() throws Exception {
        Response malformed = post("/subjects/x/versions", "{\"schema\": ");
        assertThat(malformed.status).isBetween(400, 499);
        assertThat(malformed.json.path("error_code").asInt()).isEqualTo(400);
        assertThat(malformed.json.path("message").asText()).isNotBlank();
        assertThat(post("/subjects/x/versions", "[1, 2]").status).isEqualTo(400);
        assertThat(post("/subjects/x/versions", "").status).isEqualTo(400);
        assertThat(put("/config", "nope").status).isEqualTo(400);

        assertError(get("/no/such/route"), 404, 404);
        assertError(send("PATCH", "/subjects", "{}", CT), 405, 405);
        assertError(send("PUT", "/schemas/ids/1", "{}", CT), 405, 405);
    }

    @Test
    void requestsJettyRefusesStillGetJsonErrors() throws Exception {
        String raw = rawRequest("GET /subjects/%ZZ/versions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(raw).containsIgnoringCase("Content-Type: " + CT);
        assertThat(raw).contains("\"error_code\":400");
        String longUri = rawRequest("GET /subjects/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(longUri).startsWith("HTTP/1.1 414").contains("\"error_code\":414");
    }

    @Test
    void acceptsTheUsualContentTypes() throws Exception {
        String[] types = {
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json",
            "application/octet-stream"
        };
        int id = -1;
        for (String type : types) {
            Response r = send("POST", "/subjects/ct-value/versions", schemaBody(USER_V1), type);
            assertThat(r.status).as(type).isEqualTo(200);
            if (id < 0) {
                id = r.json.path("id").asInt();
            }
            assertThat(r.json.path("id").asInt()).isEqualTo(id);
        }
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        String big = "{\"schema\": \"" + "a".repeat((int) RestApi.MAX_REQUEST_BYTES + 10) + "\"}";
        Response r = post("/subjects/x/versions", big);
        assertThat(r.status).isEqualTo(413);
        assertThat(r.json.path("error_code").asInt()).isEqualTo(413);
    }

    @Test
    void aTakenPortIsReported() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), port, topic + "-other"))
                    .isInstanceOfSatisfying(PortInUseException.class, e -> {
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.configKey()).isEqualTo("registry.port");
                    });
        }
        // the registry already running on its own port is a taken port too
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), registry.port(), topic))
                .isInstanceOf(PortInUseException.class);
    }

    @Test
    void startsOnAChosenPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        registry.close();
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), port, topic);
        assertThat(registry.port()).isEqualTo(port);
        assertThat(get("/").status).isEqualTo(200);
    }

    @Test
    void startingOnAnUnreachableClusterFails() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(
                        "localhost:1",
                        0,
                        "_schemas",
                        Map.of("request.timeout.ms", 2000, "default.api.timeout.ms", 3000)))
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ helpers

    private static String record(String name, String... fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[" + String.join(",", fields) + "]}";
    }

    private static String field(String name, String type) {
        return "{\"name\":\"" + name + "\",\"type\":" + type + "}";
    }

    private static String field(String name, String type, String defaultJson) {
        return "{\"name\":\"" + name + "\",\"type\":" + type + ",\"default\":" + defaultJson + "}";
    }

    @Test
    void aRequestForAnotherHostIsRefusedAsADnsRebindingWouldSendIt() throws Exception {
        String rebound = rawRequest("GET /subjects HTTP/1.1\r\nHost: attacker.example:" + registry.port()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("40301");
        String local = rawRequest(
                "GET /subjects HTTP/1.1\r\nHost: localhost:" + registry.port() + "\r\nConnection: close\r\n\r\n");
        assertThat(local).startsWith("HTTP/1.1 200");
        assertThat(RestApi.loopbackHost("127.0.0.1:8081")).isTrue();
        assertThat(RestApi.loopbackHost("[::1]:8081")).isTrue();
        assertThat(RestApi.loopbackHost("localhost.attacker.example")).isFalse();
        assertThat(RestApi.loopbackHost("127.0.0.1.nip.io")).isFalse();
    }

    @Test
    void withBasicAuthEveryRequestNeedsTheCredentialsAndTheClientSendsThem() throws Exception {
        EmbeddedSchemaRegistry guarded = EmbeddedSchemaRegistry.start(
                kafka.bootstrapServers(), 0, topic + "-auth", java.util.Map.of(), "engage:s3cret-pass");
        try {
            String base = "http://localhost:" + guarded.port();
            java.net.http.HttpResponse<String> none = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/subjects"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            assertThat(JSON.readTree(none.body()).path("error_code").asInt()).isEqualTo(401);
            String wrong = "Basic "
                    + java.util.Base64.getEncoder()
                            .encodeToString("engage:wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(http.send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/subjects"))
                                            .header("Authorization", wrong)
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            // engage's registry client with Confluent's settings registers and reads back
            io.engage.schemas.registry.SchemaRegistryClient client =
                    io.engage.schemas.registry.SchemaRegistryClients.forConfig(java.util.Map.of(
                            "schema.registry.url", base,
                            "basic.auth.credentials.source", "USER_INFO",
                            "basic.auth.user.info", "engage:s3cret-pass"));
            org.apache.avro.Schema schema = new org.apache.avro.Schema.Parser().parse(USER_V1);
            int id = client.register("auth-value", schema);
            assertThat(client.getById(id)).isEqualTo(schema);
            io.engage.schemas.registry.SchemaRegistryClient anonymous =
                    io.engage.schemas.registry.SchemaRegistryClients.forConfig(
                            java.util.Map.of("schema.registry.url", base));
            assertThatThrownBy(() -> anonymous.register("auth-value-2", schema)).hasMessageContaining("401");
        } finally {
            guarded.close();
        }
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(
                        kafka.bootstrapServers(), 0, topic, java.util.Map.of(), "no-colon"))
                .hasMessageContaining("user:password");
    }

    @Test
    void aBodyThatDoesNotSayItIsJsonIsRefusedWith415() throws Exception {
        String body = schemaBody("\"string\"");
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
            assertError(send("POST", "/subjects/ct-" + type.length() + "/versions", body, type), 415, 415);
        }
        assertError(send("POST", "/subjects/ct-none/versions", body, null), 415, 415);
        assertError(send("PUT", "/config", "{\"compatibility\":\"NONE\"}", "text/plain"), 415, 415);
        assertThat(get("/subjects").json)
                .as("nothing registered")
                .noneMatch(n -> n.asText().startsWith("ct-"));
        assertThat(send("POST", "/subjects/ct-json/versions", body, "application/json; charset=utf-8").status)
                .isEqualTo(200);
    }

    private static String schemaBody(String schema) throws IOException {
        return JSON.writeValueAsString(Map.of("schema", schema));
    }

    private int register(String subject, String schema) throws Exception {
        Response r = post("/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(r.status).as("register %s: %s", subject, r.body).isEqualTo(200);
        return r.json.path("id").asInt();
    }

    private boolean isCompatible(String subject, String version, String schema) throws Exception {
        String path = "/compatibility/subjects/" + subject + "/versions" + (version == null ? "" : "/" + version);
        Response r = post(path, schemaBody(schema));
        assertThat(r.status).as("%s: %s", path, r.body).isEqualTo(200);
        return r.json.path("is_compatible").asBoolean();
    }

    private void setSubjectLevel(String subject, String level) throws Exception {
        assertThat(put("/config/" + subject, "{\"compatibility\": \"" + level + "\"}").status)
                .isEqualTo(200);
    }

    private static void assertError(Response r, int status, int errorCode) {
        assertThat(r.status).as(r.body).isEqualTo(status);
        assertThat(r.contentType).startsWith(CT);
        assertThat(r.json).as(r.body).isNotNull();
        assertThat(r.json.path("error_code").asInt()).as(r.body).isEqualTo(errorCode);
        assertThat(r.json.path("message").asText()).isNotBlank();
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("localhost", registry.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private record Response(int status, String body, String contentType, JsonNode json) {}

    private Response get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private Response post(String path, String body) throws Exception {
        return send("POST", path, body, CT);
    }

    private Response put(String path, String body) throws Exception {
        return send("PUT", path, body, CT);
    }

    private Response delete(String path) throws Exception {
        return send("DELETE", path, null, null);
    }

    private Response send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", CT);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = resp.body().isEmpty() ? null : JSON.readTree(resp.body());
        } catch (IOException e) {
            // not JSON: left null, the assertions say so
        }
        return new Response(
                resp.statusCode(),
                resp.body(),
                resp.headers().firstValue("Content-Type").orElse(""),
                json);
    }
}
