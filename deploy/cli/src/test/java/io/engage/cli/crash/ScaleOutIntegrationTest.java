package io.engage.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.DailyActivity;
import io.engage.avro.ParticipantDay;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.embedded.kafka.EmbeddedKafkaCluster;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.ingest.IngestProcess;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.streams.StreamsProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations.md, "Deployment": three streams instances on a 3-broker cluster, each with an {@code instance.id}
 * (static membership, as both deployments run them); while a feeder thread sends a workload with an oracle into
 * {@code readings.raw} slice by slice, one instance is removed (its place in the group kept until its session, 10 s
 * here, times out, as a stopped pod's) and a new one added, the feed going on across both moves. Throughout, every
 * participant query to every running instance is answered: 200 (from the key's owner, forwarded when it is another
 * instance) or, while the key is moving or its owner is gone, 503 with {@code Retry-After}, never anything else; after
 * the moves every instance answers every participant again. At the end the query API and the read_committed
 * {@code activity.daily} equal the oracle's day totals.
 */
@Tag("integration")
class ScaleOutIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String READ = "scale-read-token-000000000";

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void instancesRemovedAndAddedUnderLoadKeepAnsweringAndTheOutputsEqualTheOracle(@TempDir Path tmp) throws Exception {
        CrashWorkload w = CrashWorkload.generate(42L, "prog-scale", 18, 3, 6, Instant.now());
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3);
                EmbeddedSchemaRegistry registry =
                        EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0, "_schemas")) {
            EngageConfig base = EngageConfig.of(Map.of(
                    "bootstrap.servers", cluster.bootstrapServers(),
                    "schema.registry.url", registry.url(),
                    "ingest.port", "0",
                    "query.port", "0",
                    "late.horizon", "P30D",
                    "auth.token.gateway", "scale-gateway-token-000000",
                    "auth.token.admin", "scale-admin-token-00000000",
                    "auth.token.read", READ));
            ApiTokens tokens = ApiTokens.fromConfig(base);
            TopicCatalogue catalogue = TopicCatalogue.unprefixed();
            try (Admin admin = Admin.create(KafkaClientConfigs.admin(base))) {
                new TopicProvisioner(admin, catalogue).createMissing();
            }
            TopicSerdes serdes = new TopicSerdes(Map.of("schema.registry.url", registry.url()));
            List<StreamsProcess> running = new CopyOnWriteArrayList<>();
            QueryProbe probe = new QueryProbe(
                    running,
                    w.people().stream().map(CrashWorkload.Person::participantId).toList());
            try (KafkaProducer<String, byte[]> producer = producer(cluster.bootstrapServers());
                    IngestProcess ingest = IngestProcess.start(
                            base.with(Map.of("data.dir", tmp.resolve("ingest").toString())),
                            tokens,
                            Clock.systemUTC())) {
                Instant at = Instant.now();
                ExactlyOnceCrashIntegrationTest.send(
                        producer, catalogue, serdes, Topics.PROGRAMS, w.rules().programId(), w.program(1000, at));
                w.teamRecords(at)
                        .forEach(t -> ExactlyOnceCrashIntegrationTest.send(
                                producer, catalogue, serdes, Topics.TEAMS, t.getTeamId(), t));
                w.participantRecords(at)
                        .forEach(p -> ExactlyOnceCrashIntegrationTest.send(
                                producer, catalogue, serdes, Topics.PARTICIPANTS, p.getParticipantId(), p));
                w.deviceRecords(at)
                        .forEach(d -> ExactlyOnceCrashIntegrationTest.send(
                                producer, catalogue, serdes, Topics.DEVICES, d.getDeviceId(), d));
                producer.flush();

                for (int i = 1; i <= 3; i++) {
                    running.add(streams(base, tmp, i, tokens));
                }
                awaitEveryInstanceAnswersEveryone(probe, "three instances started");
                probe.start();

                Feeder feeder = new Feeder(
                        w.rounds().stream().flatMap(List::stream).toList(), 40, Duration.ofMillis(300), slice -> {
                            ExactlyOnceCrashIntegrationTest.publish(producer, catalogue, serdes, slice);
                        });
                feeder.start();
                feeder.awaitSlices(10);
                StreamsProcess leaving = running.remove(2);
                leaving.close();
                int sentAtRemoval = feeder.sent();
                log(
                        "instance 3 removed at slice %d of %d (%d answers so far)",
                        sentAtRemoval, feeder.slices, probe.answers.get());
                feeder.awaitSlices(22);
                running.add(streams(base, tmp, 4, tokens));
                log(
                        "instance 4 added at slice %d of %d (%d answers so far)",
                        feeder.sent(), feeder.slices, probe.answers.get());
                int sentAtAddition = feeder.sent();
                feeder.finish();
                assertThat(sentAtAddition)
                        .as("slices sent between the removal and the addition: the feed went on across the moves")
                        .isGreaterThan(sentAtRemoval);
                awaitEveryInstanceAnswersEveryone(probe, "instance 3 removed and instance 4 added");

                Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> expected = w.dayTotals();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(2))
                        .untilAsserted(() -> {
                            for (StreamsProcess instance : running) {
                                assertThat(dayTotals(instance.port(), expected))
                                        .as("day totals from the query API of instance on port " + instance.port())
                                        .isEqualTo(expected);
                            }
                        });
                probe.stop();
                log(
                        "queries while instances moved: %d answers, %d of them 503 with Retry-After; %s",
                        probe.answers.get(), probe.retryLater.get(), probe.byStatus);
                assertThat(probe.unexpected)
                        .as("answers other than 200 or 503 with Retry-After")
                        .isEmpty();
                assertThat(probe.answers.get()).as("the probe asked throughout").isGreaterThan(50);

                try (CommittedTopic<ParticipantDay, DailyActivity> daily =
                        new CommittedTopic<>(cluster.bootstrapServers(), catalogue, serdes, Topics.ACTIVITY_DAILY)) {
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofSeconds(1))
                            .untilAsserted(() -> assertThat(ExactlyOnceCrashIntegrationTest.lastPerDay(daily.drain()))
                                    .as("read_committed activity.daily, latest per day")
                                    .isEqualTo(expected));
                }
            } finally {
                probe.stop();
                for (StreamsProcess p : running) {
                    p.close();
                }
            }
        }
    }

    /**
     * A streams instance with its own state directory, query port and {@code instance.id} (static membership, as both
     * deployments run them); a session of 10 s instead of 45 so that a removed instance's tasks move within the test.
     */
    private static StreamsProcess streams(EngageConfig base, Path tmp, int n, ApiTokens tokens) {
        return StreamsProcess.start(
                base.with(Map.of(
                        "data.dir",
                        tmp.resolve("streams-" + n).toString(),
                        EngageConfig.INSTANCE_ID,
                        "streams-" + n,
                        "kafka.session.timeout.ms",
                        "10000")),
                tokens,
                Clock.systemUTC());
    }

    /**
     * Sends readings in slices from its own thread, a pause after each, and holds back its last five slices until
     * {@link #finish}: the moves the test makes meanwhile always happen while readings are still coming in.
     */
    private static final class Feeder {
        interface Publish {
            void slice(List<CrashWorkload.Reading> readings) throws Exception;
        }

        final int slices;
        private final List<List<CrashWorkload.Reading>> parts = new java.util.ArrayList<>();
        private final Duration pause;
        private final Publish publish;
        private final AtomicInteger sent = new AtomicInteger();
        private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        private final Thread thread;

        Feeder(List<CrashWorkload.Reading> readings, int slices, Duration pause, Publish publish) {
            for (int i = 0; i < slices; i++) {
                parts.add(readings.subList(i * readings.size() / slices, (i + 1) * readings.size() / slices));
            }
            this.slices = parts.size();
            this.pause = pause;
            this.publish = publish;
            this.thread = new Thread(this::run, "scale-out-feeder");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                for (int i = 0; i < slices; i++) {
                    if (i == slices - 5) {
                        release.await();
                    }
                    publish.slice(parts.get(i));
                    sent.incrementAndGet();
                    Thread.sleep(pause.toMillis());
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }

        int sent() {
            return sent.get();
        }

        void awaitSlices(int n) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> sent.get() >= n || failure.get() != null || !thread.isAlive());
            assertThat(failure.get()).as("the feeder failed").isNull();
            assertThat(sent.get()).as("slices sent").isGreaterThanOrEqualTo(n);
        }

        /** Lets the last slices go and waits until every slice is sent. */
        void finish() throws InterruptedException {
            release.countDown();
            thread.join(120_000);
            assertThat(failure.get()).as("the feeder failed").isNull();
            assertThat(sent.get()).as("every slice sent").isEqualTo(slices);
        }
    }

    /** Waits until every running instance answers 200 for every participant (forwarding to the owner as needed). */
    private static void awaitEveryInstanceAnswersEveryone(QueryProbe probe, String after) {
        long t0 = System.nanoTime();
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (StreamsProcess instance : probe.instances) {
                        for (String id : probe.participants) {
                            if (status(instance.port(), "/v1/participants/" + id)
                                            .statusCode()
                                    != 200) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
        log("%s: every instance answers every participant after %d ms", after, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Asks every running instance about every participant, again and again, and classifies the answers. */
    private static final class QueryProbe {
        final List<StreamsProcess> instances;
        final List<String> participants;
        final AtomicInteger answers = new AtomicInteger();
        final AtomicInteger retryLater = new AtomicInteger();
        final Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private Thread thread;

        QueryProbe(List<StreamsProcess> instances, List<String> participants) {
            this.instances = instances;
            this.participants = participants;
        }

        void start() {
            thread = new Thread(
                    () -> {
                        while (!stop.get()) {
                            for (StreamsProcess instance : List.copyOf(instances)) {
                                for (String id : participants) {
                                    ask(instance, id);
                                }
                            }
                        }
                    },
                    "scale-out-probe");
            thread.setDaemon(true);
            thread.start();
        }

        private void ask(StreamsProcess instance, String id) {
            if (stop.get() || !instances.contains(instance)) {
                return; // removed meanwhile: its server is closing
            }
            try {
                HttpResponse<String> r = status(instance.port(), "/v1/participants/" + id);
                if (!instances.contains(instance)) {
                    return;
                }
                answers.incrementAndGet();
                byStatus.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 503
                        && r.headers().firstValue("Retry-After").isPresent()) {
                    retryLater.incrementAndGet();
                } else if (r.statusCode() != 200) {
                    unexpected.add(r.statusCode() + " " + r.body());
                } else if (!JSON.readTree(r.body())
                        .path("participantId")
                        .asText()
                        .equals(id)) {
                    unexpected.add("200 for another participant: " + r.body());
                }
            } catch (Exception e) {
                if (instances.contains(instance) && !stop.get()) {
                    unexpected.add(e.toString());
                }
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            if (thread != null) {
                thread.join(30_000);
            }
        }
    }

    private static HttpResponse<String> status(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + READ)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> dayTotals(
            int port, Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> days) throws Exception {
        Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> out = new TreeMap<>();
        for (CrashWorkload.DayKey d : days.keySet()) {
            HttpResponse<String> r = status(port, "/v1/participants/" + d.participantId() + "/days/" + d.date());
            if (r.statusCode() != 200) {
                continue;
            }
            out.put(d, CrashWorkload.DayTotals.ofQuery(JSON.readTree(r.body()).path("totals")));
        }
        return out;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static void log(String format, Object... args) {
        System.out.printf(
                "[scale-out %tT] %s%n",
                Instant.now().atZone(java.time.ZoneId.systemDefault()), String.format(format, args));
    }
}
