package io.engage.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.ingest.IngestProcess;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A real broker, the embedded registry and an ingest process, for HTTP-level tests. */
final class IngestStack implements AutoCloseable {
    static final String GATEWAY = "gateway-token-0123456789";
    static final String GATEWAY_2 = "gateway-token-abcdefghij";
    static final String ADMIN = "admin-token-0123456789ab";
    static final String READ = "read-token-0123456789abc";

    final EmbeddedKafka kafka;
    final EmbeddedSchemaRegistry registry;
    final EngageConfig config;
    final IngestProcess ingest;
    final HttpClient http = HttpClient.newHttpClient();
    final TopicCatalogue catalogue;

    IngestStack(Path dir, Map<String, String> overrides) {
        kafka = EmbeddedKafka.start(dir, 0);
        Map<String, String> c = new HashMap<>(Map.of(
                EngageConfig.BOOTSTRAP_SERVERS,
                kafka.bootstrapServers(),
                EngageConfig.INGEST_PORT,
                "0",
                EngageConfig.DATA_DIR,
                dir.resolve("data").toString(),
                "auth.token.gateway",
                GATEWAY + "," + GATEWAY_2,
                "auth.token.admin",
                ADMIN,
                "auth.token.read",
                READ));
        c.putAll(overrides);
        EngageConfig base = EngageConfig.of(c);
        catalogue = new TopicCatalogue(base.topicPrefix());
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(base))) {
            new TopicProvisioner(admin, catalogue).createMissing();
        }
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, "_schemas");
        config = base.with(Map.of(EngageConfig.SCHEMA_REGISTRY_URL, registry.url()));
        ingest = IngestProcess.start(config, ApiTokens.fromConfig(config), Clock.systemUTC());
    }

    String url(String path) {
        return "http://localhost:" + ingest.port() + path;
    }

    HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String body) throws Exception {
        return send("POST", path, token, "application/json", body);
    }

    HttpResponse<String> put(String path, String body) throws Exception {
        return send("PUT", path, ADMIN, "application/json", body);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** Every record on a topic from the beginning (read_committed), waiting until {@code atLeast} arrived. */
    <K, V> List<ConsumerRecord<K, V>> read(TopicSpec<K, V> spec, int atLeast, Duration wait) {
        String topic = catalogue.name(spec);
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        Serde<K> ks = serdes.keySerde(spec);
        Serde<V> vs = serdes.valueSerde(spec);
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    K key = ks.deserializer()
                            .deserialize(
                                    topic,
                                    r.key() == null ? null : r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    V value = vs.deserializer().deserialize(topic, r.value());
                    out.add(new ConsumerRecord<>(topic, r.partition(), r.offset(), key, value));
                }
                boolean caughtUp = tps.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
                if (out.size() >= atLeast && caughtUp) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        ingest.close();
        registry.close();
        kafka.close();
    }

    static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
