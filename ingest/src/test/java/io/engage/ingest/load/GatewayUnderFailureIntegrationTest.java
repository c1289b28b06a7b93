package io.engage.ingest.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.RawReading;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.embedded.kafka.EmbeddedKafkaCluster;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.ingest.IngestProcess;
import io.engage.processing.ReferenceReadiness;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many concurrent gateway batches while a broker of a 3-broker cluster is stopped and restarted. Asserted on counts,
 * not time: every reading a 202 accepted is on {@code readings.raw} exactly once (read_committed), nothing of a
 * non-2xx answer is, and nothing a 202 rejected is; downstream, every accepted reading appears exactly once on
 * {@code readings.normalized} (paired devices) or {@code readings.rejected} (unpaired: UNKNOWN_DEVICE).
 */
@Tag("integration")
class GatewayUnderFailureIntegrationTest {
    private static final String GATEWAY = "load-gateway-token-000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Outcome(int status, Set<String> accepted, Set<String> sent) {}

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void everyAcceptedReadingIsCommittedOnceAndNothingOfAFailedAnswerIs(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3)) {
            EngageConfig base = EngageConfig.of(Map.of(
                    "bootstrap.servers",
                    cluster.bootstrapServers(),
                    "ingest.port",
                    "0",
                    "ingest.ack.timeout",
                    "PT20S",
                    "data.dir",
                    dir.toString(),
                    "ingest.rate.limit",
                    "1000000",
                    "auth.token.gateway",
                    GATEWAY,
                    "auth.token.admin",
                    "load-admin-token-0000000"));
            try (Admin admin = Admin.create(KafkaClientConfigs.admin(base))) {
                new TopicProvisioner(admin, TopicCatalogue.unprefixed()).createMissing();
            }
            try (EmbeddedSchemaRegistry registry =
                    EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0, "_schemas")) {
                EngageConfig config = base.with(Map.of("schema.registry.url", registry.url()));
                List<Outcome> outcomes;
                Map<String, Integer> downstream;
                try (IngestProcess ingest =
                        IngestProcess.start(config, ApiTokens.fromConfig(config), Clock.systemUTC())) {
                    pairEvenDevices(ingest);
                    outcomes = load(ingest.port(), cluster);
                    int expected =
                            outcomes.stream().mapToInt(o -> o.accepted().size()).sum();
                    downstream = readDownstream(config, expected);
                }
                Map<String, Integer> onTopic = readAll(config);

                Set<String> accepted = new HashSet<>();
                Set<String> notPublished = new HashSet<>();
                int ok = 0;
                int failed = 0;
                for (Outcome o : outcomes) {
                    if (o.status() == 202) {
                        ok++;
                        accepted.addAll(o.accepted());
                        Set<String> rejected = new HashSet<>(o.sent());
                        rejected.removeAll(o.accepted());
                        notPublished.addAll(rejected);
                    } else {
                        failed++;
                        notPublished.addAll(o.sent());
                    }
                }
                assertThat(ok).as("some batches went through").isPositive();
                assertThat(onTopic.keySet())
                        .as("exactly the accepted readings are on readings.raw")
                        .isEqualTo(accepted);
                assertThat(onTopic.values()).as("each exactly once").allMatch(n -> n == 1);
                assertThat(onTopic.keySet()).doesNotContainAnyElementsOf(notPublished);
                assertThat(downstream.keySet())
                        .as("normalized or rejected: exactly the accepted readings")
                        .isEqualTo(accepted);
                assertThat(downstream.values())
                        .as("each exactly once downstream")
                        .allMatch(n -> n == 1);
                System.out.printf(
                        "load: %d batches answered 202, %d answered otherwise, %d readings committed%n",
                        ok, failed, onTopic.size());
            }
        }
    }

    private static List<Outcome> load(int port, EmbeddedKafkaCluster cluster) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.ofHoursMinutes(5, 30))
                .truncatedTo(ChronoUnit.HOURS)
                .minusHours(30);
        int threads = 6;
        int batchesPerThread = 25;
        AtomicInteger done = new AtomicInteger();
        List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int b = 0; b < batchesPerThread; b++) {
                    Set<String> ids = new HashSet<>();
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < 40; i++) {
                        String id = "t" + thread + "-b" + b + "-r" + i;
                        ids.add(id);
                        OffsetDateTime s = base.plusMinutes(i);
                        boolean bad = i % 10 == 9; // some rejected at the gateway
                        body.append(i == 0 ? "" : ",")
                                .append("{\"metric\":\"steps\",\"value\":")
                                .append(bad ? -1 : 50 + i)
                                .append(",\"unit\":\"steps\",\"start\":\"")
                                .append(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(s))
                                .append("\",\"end\":\"")
                                .append(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                                        s.plusMinutes(1)))
                                .append("\",\"sourceRecordId\":\"")
                                .append(id)
                                .append("\"}");
                    }
                    body.append("]");
                    outcomes.add(post(http, port, "dev-" + thread, body.toString(), ids));
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        // fail a broker while the load runs, then bring it back
        while (done.get() < threads * batchesPerThread / 4) {
            Thread.sleep(20);
        }
        int victim = cluster.brokerIds().iterator().next();
        cluster.stopBroker(victim);
        while (done.get() < threads * batchesPerThread * 3 / 4) {
            Thread.sleep(20);
        }
        cluster.startBroker(victim);
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return outcomes;
    }

    private static Outcome post(HttpClient http, int port, String device, String body, Set<String> ids) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/v1/devices/" + device + "/readings"))
                            .timeout(Duration.ofSeconds(90))
                            .header("Authorization", "Bearer " + GATEWAY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Set<String> accepted = new HashSet<>();
            if (r.statusCode() == 202) {
                JsonNode answer = JSON.readTree(r.body());
                Set<Integer> rejected = new HashSet<>();
                answer.get("rejected").forEach(x -> rejected.add(x.get("index").asInt()));
                List<String> ordered = new ArrayList<>(ids);
                ordered.sort(java.util.Comparator.comparingInt(GatewayUnderFailureIntegrationTest::indexOf));
                for (int i = 0; i < ordered.size(); i++) {
                    if (!rejected.contains(i)) {
                        accepted.add(ordered.get(i));
                    }
                }
                assertThat(answer.get("accepted").asInt()).isEqualTo(accepted.size());
            }
            return new Outcome(r.statusCode(), accepted, ids);
        } catch (java.io.IOException e) {
            return new Outcome(-1, Set.of(), ids); // the client gave up: treated as not acknowledged
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, Set.of(), ids);
        }
    }

    /** Devices of even threads are paired to a consenting participant; odd ones stay unpaired. */
    private static void pairEvenDevices(IngestProcess ingest) throws Exception {
        int port = ingest.port();
        Map<ReferenceReadiness.Kind, List<String>> wanted = ReferenceReadiness.wanted();
        wanted.put(ReferenceReadiness.Kind.PARTICIPANT, List.of("p-0", "p-2", "p-4"));
        wanted.put(ReferenceReadiness.Kind.DEVICE, List.of("dev-0", "dev-2", "dev-4"));
        HttpClient http = HttpClient.newHttpClient();
        String admin = "load-admin-token-0000000";
        for (int t = 0; t < 6; t += 2) {
            for (String[] put : new String[][] {
                {"/v1/participants/p-" + t, "{\"programId\":\"prog\",\"consent\":true,\"timezone\":\"Asia/Kolkata\"}"},
                {"/v1/devices/dev-" + t, "{\"participantId\":\"p-" + t + "\",\"type\":\"tracker\"}"}
            }) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + put[0]))
                                .header("Authorization", "Bearer " + admin)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(put[1]))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
        }
        // the normalizer's global stores see the pairings before readings arrive
        ReferenceReadiness.await(wanted, List.of(ingest.referenceView()), Duration.ofSeconds(60), message -> {});
    }

    /** Source record ids on readings.normalized and readings.rejected, with how often each appears. */
    private static Map<String, Integer> readDownstream(EngageConfig config, int expected) {
        TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
        var normalized = serdes.valueSerde(Topics.READINGS_NORMALIZED);
        var rejected = serdes.valueSerde(Topics.READINGS_REJECTED);
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : List.of("readings.normalized", "readings.rejected")) {
                c.partitionsFor(topic).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var records = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    String id = r.topic().equals("readings.normalized")
                            ? normalized
                                    .deserializer()
                                    .deserialize(r.topic(), r.value())
                                    .getSourceRecordId()
                            : rejected.deserializer()
                                    .deserialize(r.topic(), r.value())
                                    .getReading()
                                    .getSourceRecordId();
                    counts.merge(id, 1, Integer::sum);
                }
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                // done when everything expected arrived and nothing more came for two seconds (to catch duplicates)
                if (counts.size() >= expected && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) {
                    break;
                }
            }
        }
        return counts;
    }

    private static int indexOf(String id) {
        return Integer.parseInt(id.substring(id.lastIndexOf('r') + 1));
    }

    private static Map<String, Integer> readAll(EngageConfig config) {
        Serde<RawReading> serde = new TopicSerdes(config.registryClientConfigs()).valueSerde(Topics.READINGS_RAW);
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor("readings.raw").stream()
                    .map(p -> new TopicPartition("readings.raw", p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(tps, Duration.ofSeconds(60)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    counts.merge(
                            serde.deserializer()
                                    .deserialize("readings.raw", r.value())
                                    .getSourceRecordId(),
                            1,
                            Integer::sum);
                }
            }
        }
        return counts;
    }
}
