package io.engage.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.avro.GoalAchieved;
import io.engage.avro.PointsAwarded;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9} of the whole local stack ({@code ./engage local}: embedded broker, registry, ingest and streams in one
 * JVM) in the middle of ingestion through the gateway API. The stack is restarted on the same data directory and every
 * batch that did not get a 202 is sent again (re-sends are idempotent by reading identity); then nothing a 202 accepted
 * may be lost and nothing may be counted twice: day totals from the query API equal the oracle's, goal events are
 * unique, points add up.
 */
@Tag("integration")
@Tag("chaos")
class LocalStackKillIntegrationTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChildJvm stack;
    private String bootstrap;

    /** One device's upload: one participant's day. */
    record Batch(String deviceId, String body, int readings) {}

    @AfterEach
    void killChildren() {
        ChildJvm.killAll();
        assertThat(ChildJvm.liveCount()).as("no child JVM outlives the test").isZero();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void nothingAcceptedIsLostOrDoubleCountedWhenTheWholeStackIsKilledMidIngestion() throws Exception {
        run(12, 6, 1);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void soakWithRepeatedKillsOfTheWholeStack() throws Exception {
        run(30, 8, 4);
    }

    private void run(int participants, int days, int kills) throws Exception {
        long t0 = System.nanoTime();
        LocalStackChild local =
                LocalStackChild.prepare("local-" + System.currentTimeMillis(), "--late-horizon", "P30D");
        Path data = local.data;
        Path logs = local.logs;
        int registry = local.registry;
        bootstrap = local.bootstrap();
        String ingestUrl = local.ingestUrl();
        String queryUrl = local.queryUrl();

        CrashWorkload w = CrashWorkload.generate(
                Long.getLong("crash.seed", 7L), "prog-local", participants, 3, days, Instant.now());
        List<Batch> batches = batches(w);
        int total = batches.stream().mapToInt(Batch::readings).sum();

        stack = local.start();
        JsonNode tokens = local.tokens();
        String admin = tokens.get("admin").asText();
        String gateway = tokens.get("gateway").asText();
        String read = tokens.get("read").asText();
        publishReferenceData(w, ingestUrl, admin);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> w.people().stream()
                        .allMatch(p -> status(get(queryUrl + "/v1/participants/" + p.participantId(), read)) == 200));
        ChildJvm.sleep(2_000); // the normaliser's device pairings (a global store) follow the same topics
        log("local stack up and set up in %d s: %d batches of %d readings", secondsSince(t0), batches.size(), total);

        Set<Batch> accepted = ConcurrentHashMap.newKeySet();
        int resent = 0;
        for (int k = 1; k <= kills; k++) {
            // gateways upload concurrently, each device's days in order; the whole stack is SIGKILLed mid-way
            List<Batch> pending =
                    batches.stream().filter(b -> !accepted.contains(b)).toList();
            int killAfter = accepted.size() + pending.size() / (kills + 2 - k);
            int before = accepted.size();
            Uploads uploads = new Uploads(pending, ingestUrl, gateway, accepted);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> accepted.size() >= killAfter);
            stack.kill();
            uploads.awaitStopped();
            int unanswered = batches.size() - accepted.size();
            log(
                    "kill %d: SIGKILL of the whole stack after %d more accepted batches; %d to send again or still unsent",
                    k, accepted.size() - before, unanswered);
            resent += uploads.failed();
            long restart = System.nanoTime();
            stack = local.start();
            log("kill %d: restarted and ready in %d s", k, secondsSince(restart));
        }
        // the rest, including every batch that got no 202, in the original order
        List<Batch> rest = batches.stream().filter(b -> !accepted.contains(b)).toList();
        new Uploads(rest, ingestUrl, gateway, accepted).awaitStopped();
        assertThat(accepted).as("every batch accepted in the end").hasSize(batches.size());

        // verification: query API day totals and points, then read_committed topics from the beginning
        Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> expected = w.dayTotals();
        TopicCatalogue catalogue = TopicCatalogue.unprefixed();
        TopicSerdes serdes = new TopicSerdes(Map.of("schema.registry.url", "http://localhost:" + registry));
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(dayTotals(queryUrl, read, expected.keySet()))
                            .as("day totals from the query API")
                            .isEqualTo(expected));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            diagnose(w, expected, dayTotals(queryUrl, read, expected.keySet()), bootstrap, catalogue, serdes);
            throw e;
        }
        Map<String, Long> points = w.points();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Map<String, Long> actual = new TreeMap<>();
                    for (String pid : points.keySet()) {
                        actual.put(
                                pid,
                                JSON.readTree(get(queryUrl + "/v1/participants/" + pid, read)
                                                .body())
                                        .path("points")
                                        .asLong());
                    }
                    assertThat(actual).as("points from the query API").isEqualTo(points);
                });
        Set<String> donationIds = w.expectedDonationIds();
        try (CommittedTopic<String, GoalAchieved> goals =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.GOALS_ACHIEVED);
                CommittedTopic<String, PointsAwarded> awards =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.ENGAGEMENT_POINTS);
                CommittedTopic<String, Donation> donations =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.DONATIONS)) {
            List<String> goalIds =
                    goals.drain().stream().map(r -> r.value().getEventId()).toList();
            assertThat(duplicates(goalIds)).as("duplicate goal events").isEmpty();
            assertThat(Set.copyOf(goalIds)).isEqualTo(w.goalEventIds());
            List<String> awardIds =
                    awards.drain().stream().map(r -> r.value().getAwardId()).toList();
            assertThat(duplicates(awardIds)).as("duplicate point awards").isEmpty();
            // team thresholds are flushed by a wall-clock punctuator: wait for the last of them
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(donations.drain().stream()
                                    .map(r -> r.value().getDonationId())
                                    .distinct()
                                    .count())
                            .as("donations")
                            .isEqualTo(donationIds.size()));
            ChildJvm.sleep(2_000);
            List<Donation> all =
                    donations.drain().stream().map(CommittedTopic.Rec::value).toList();
            assertThat(duplicates(all.stream()
                            .map(d -> d.getDonationId() + "/" + d.getStatus())
                            .toList()))
                    .as("duplicate (donationId, status)")
                    .isEmpty();
            Set<String> ids = all.stream().map(Donation::getDonationId).collect(Collectors.toCollection(TreeSet::new));
            assertThat(ids).as("donation ids").isEqualTo(new TreeSet<>(donationIds));
            int decided = Math.min(w.rules().budget(), donationIds.size());
            assertThat(all.stream()
                            .filter(d -> d.getStatus() == DonationStatus.TRIGGERED)
                            .count())
                    .as("TRIGGERED = min(budget, crossings)")
                    .isEqualTo(decided);
            assertThat(all.stream()
                            .filter(d -> d.getStatus() == DonationStatus.DEFERRED)
                            .count())
                    .as("DEFERRED = the rest")
                    .isEqualTo(donationIds.size() - decided);
        }
        // No restart may find a hanging transaction: the embedded broker fences its earlier incarnation before it
        // starts
        // (EmbeddedKafka), so the coordinator never skips a marker; the start-up recovery is only a safety net.
        List<String> recovery = Files.readAllLines(logs.resolve("local.err")).stream()
                .filter(l -> l.contains("aborting a hanging transaction") || l.contains("left alone because aborting"))
                .toList();
        assertThat(recovery)
                .as("hanging transactions found after a restart (see %s)", logs)
                .isEmpty();
        stack.kill();
        deleteRecursively(data);
        log(
                "verified: %d days, %d goal events, %d donations; %d kills, %d batches sent again; %d s in all",
                expected.size(), w.goalEventIds().size(), donationIds.size(), kills, resent, secondsSince(t0));
    }

    /**
     * Four gateways uploading {@code batches}: each owns a quarter of the devices and sends their batches in order, and
     * stops at its first answer other than 202 (the stack is gone), so no device's later day overtakes an earlier one.
     */
    private static final class Uploads {
        private final ExecutorService pool = Executors.newFixedThreadPool(4);
        private final List<Future<?>> senders = new ArrayList<>();
        private final AtomicInteger failed = new AtomicInteger();

        Uploads(List<Batch> batches, String ingestUrl, String gateway, Set<Batch> accepted) {
            for (int i = 0; i < 4; i++) {
                int lane = i;
                List<Batch> mine = batches.stream()
                        .filter(b -> Math.floorMod(b.deviceId().hashCode(), 4) == lane)
                        .toList();
                senders.add(pool.submit(() -> {
                    for (Batch b : mine) {
                        if (post(ingestUrl, gateway, b) != 202) {
                            failed.incrementAndGet();
                            return;
                        }
                        accepted.add(b);
                    }
                }));
            }
            pool.shutdown();
        }

        void awaitStopped() throws Exception {
            for (Future<?> f : senders) {
                f.get(3, TimeUnit.MINUTES);
            }
        }

        /** Batches that got no 202 (each lane stops at its first). */
        int failed() {
            return failed.get();
        }
    }

    /** Where the readings of the days that differ got to: raw, normalised, dead-lettered (read_committed). */
    private static void diagnose(
            CrashWorkload w,
            Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> expected,
            Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> actual,
            String bootstrap,
            TopicCatalogue catalogue,
            TopicSerdes serdes) {
        Map<String, CrashWorkload.Person> byId =
                w.people().stream().collect(Collectors.toMap(CrashWorkload.Person::participantId, p -> p));
        try (CommittedTopic<String, io.engage.avro.RawReading> raw =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.READINGS_RAW);
                CommittedTopic<String, io.engage.avro.NormalizedReading> normalized =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.READINGS_NORMALIZED);
                CommittedTopic<String, io.engage.avro.RejectedReading> rejected =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.READINGS_REJECTED)) {
            var rawRecords = raw.drain();
            var normalizedRecords = normalized.drain();
            var rejectedRecords = rejected.drain();
            log(
                    "diagnosis: %d raw, %d normalised, %d rejected records; hanging transactions: %s",
                    rawRecords.size(),
                    normalizedRecords.size(),
                    rejectedRecords.size(),
                    HangingTransactions.find(bootstrap));
            expected.forEach((day, totals) -> {
                if (totals.equals(actual.get(day))) {
                    return;
                }
                CrashWorkload.Person p = byId.get(day.participantId());
                long rawCount = rawRecords.stream()
                        .filter(r -> r.value() != null
                                && r.value().getDeviceId().equals(p.deviceId())
                                && java.time.OffsetDateTime.parse(r.value().getStart())
                                        .atZoneSameInstant(p.zone())
                                        .toLocalDate()
                                        .equals(day.date()))
                        .count();
                var normalizedOfDay = normalizedRecords.stream()
                        .filter(r -> r.value().getParticipantId().equals(p.participantId())
                                && java.time.LocalDate.ofInstant(r.value().getStart(), p.zone())
                                        .equals(day.date()))
                        .toList();
                List<String> reasons = rejectedRecords.stream()
                        .filter(r -> r.value().getDeviceId().equals(p.deviceId()))
                        .map(r -> r.value().getReason() + ": " + r.value().getDetail())
                        .distinct()
                        .toList();
                log(
                        "diagnosis: %s %s expected %s, query API says %s; readings.raw has %d of its records, readings.normalized %d"
                                + " (partitions %s, offsets %s..%s); rejected for the device: %s",
                        day.participantId(),
                        day.date(),
                        totals,
                        actual.get(day),
                        rawCount,
                        normalizedOfDay.size(),
                        normalizedOfDay.stream()
                                .map(CommittedTopic.Rec::partition)
                                .distinct()
                                .toList(),
                        normalizedOfDay.stream()
                                .mapToLong(CommittedTopic.Rec::offset)
                                .min()
                                .orElse(-1),
                        normalizedOfDay.stream()
                                .mapToLong(CommittedTopic.Rec::offset)
                                .max()
                                .orElse(-1),
                        reasons);
            });
        } catch (RuntimeException e) {
            log("diagnosis failed: %s", e);
        }
    }

    /** Every participant's day as one upload of their device, in date order per participant, interleaved by round. */
    private static List<Batch> batches(CrashWorkload w) {
        List<Batch> out = new ArrayList<>();
        for (List<CrashWorkload.Reading> round : w.rounds()) {
            Map<String, List<CrashWorkload.Reading>> byDevice = round.stream()
                    .collect(Collectors.groupingBy(r -> r.person().deviceId(), TreeMap::new, Collectors.toList()));
            byDevice.forEach((device, readings) -> {
                StringBuilder body = new StringBuilder("[");
                for (CrashWorkload.Reading r : readings) {
                    var raw = r.toRaw();
                    body.append(body.length() > 1 ? "," : "")
                            .append(String.format(
                                    Locale.ROOT,
                                    "{\"metric\":\"%s\",\"value\":%s,\"unit\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}",
                                    raw.getMetric(),
                                    (long) raw.getValue(),
                                    raw.getUnit(),
                                    raw.getStart(),
                                    raw.getEnd()));
                }
                out.add(new Batch(device, body.append(']').toString(), readings.size()));
            });
        }
        return out;
    }

    private static void publishReferenceData(CrashWorkload w, String ingestUrl, String admin) {
        CrashWorkload.Rules rules = w.rules();
        put(
                ingestUrl,
                admin,
                "/v1/programs/" + rules.programId(),
                String.format(
                        Locale.ROOT,
                        "{\"name\":\"kill -9\",\"pointsPerDonation\":%d,\"teamStepsPerDonation\":%d,\"donationBudget\":%d,"
                                + "\"maxDonationsPerParticipant\":%d}",
                        rules.pointsPerDonation(),
                        rules.teamStepsPerDonation(),
                        rules.budget(),
                        rules.maxDonationsPerParticipant()));
        for (String team : w.teams()) {
            put(ingestUrl, admin, "/v1/teams/" + team, "{\"programId\":\"" + rules.programId() + "\"}");
        }
        for (CrashWorkload.Person p : w.people()) {
            put(
                    ingestUrl,
                    admin,
                    "/v1/participants/" + p.participantId(),
                    String.format(
                            Locale.ROOT,
                            "{\"programId\":\"%s\",\"teamId\":\"%s\",\"timezone\":\"%s\",\"consent\":true}",
                            rules.programId(),
                            p.teamId(),
                            p.zone().getId()));
            put(
                    ingestUrl,
                    admin,
                    "/v1/devices/" + p.deviceId(),
                    "{\"participantId\":\"" + p.participantId() + "\",\"type\":\"tracker\"}");
        }
    }

    private static Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> dayTotals(
            String queryUrl, String read, Set<CrashWorkload.DayKey> days) throws Exception {
        Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> out = new TreeMap<>();
        for (CrashWorkload.DayKey d : days) {
            HttpResponse<String> r =
                    get(queryUrl + "/v1/participants/" + d.participantId() + "/days/" + d.date(), read);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            out.put(d, CrashWorkload.DayTotals.ofQuery(JSON.readTree(r.body()).path("totals")));
        }
        return out;
    }

    /** The answer's status, or -1 when the stack did not answer (dead, restarting). */
    private static int post(String ingestUrl, String gateway, Batch b) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/devices/" + b.deviceId() + "/readings"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + gateway)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(b.body()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                JsonNode answer = JSON.readTree(r.body());
                if (answer.path("accepted").asInt() != b.readings()
                        || !answer.path("rejected").isEmpty()) {
                    throw new AssertionError("gateway rejected part of a valid batch: " + r.body());
                }
            }
            return r.statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void put(String ingestUrl, String admin, String path, String body) {
        LocalStackChild.put(ingestUrl, admin, path, body);
    }

    private static HttpResponse<String> get(String url, String token) {
        return LocalStackChild.get(url, token);
    }

    private static int status(HttpResponse<?> r) {
        return LocalStackChild.status(r);
    }

    private static List<String> duplicates(List<String> ids) {
        Map<String, Integer> n = new HashMap<>();
        ids.forEach(id -> n.merge(id, 1, Integer::sum));
        return n.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue())
                .sorted()
                .toList();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    private static long secondsSince(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[kill -9 %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
    }
}
