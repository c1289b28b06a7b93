package io.engage.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.DailyActivity;
import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.avro.GoalAchieved;
import io.engage.avro.ParticipantDay;
import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import io.engage.avro.RejectedReading;
import io.engage.embedded.kafka.EmbeddedKafkaCluster;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.topics.SchemaProvisioner;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under crashes, the way Apache Kafka's {@code EosIntegrationTest} proves it: engage's ingest (normaliser)
 * and streams (engagement) processes run as separate child JVMs against a 3-broker cluster; while a known, seeded input
 * with exact re-sends is fed to {@code readings.raw}, random instances are SIGKILLed and restarted and a broker is
 * stopped and started. Afterwards {@code read_committed} consumers reading from the beginning must see exactly what an
 * oracle computed from the input (without any topology code) says: day totals, one goal event per goal day, unique
 * point awards summing to the oracle's points, and the donation ledger (unique decisions, the budget, the cap).
 *
 * <p>The default build runs a bounded scenario (about two minutes); {@code mvn -Psoak} adds a longer one (tag
 * {@code soak}) with more data, more kills and several broker bounces. {@code -Dcrash.seed=N} replays another input;
 * {@code -Dcrash.guarantee=at_least_once} runs the applications without exactly-once, a negative control that must fail.
 */
@Tag("integration")
@Tag("chaos")
class ExactlyOnceCrashIntegrationTest {

    private static final String GATEWAY_TOKEN = "crash-gateway-token-0000000";
    private static final String ADMIN_TOKEN = "crash-admin-token-00000000";
    private static final String READ_TOKEN = "crash-read-token-000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafkaCluster cluster;
    private static EmbeddedSchemaRegistry registry;
    private final List<EngageProcess> processes = new CopyOnWriteArrayList<>();

    /** What one run does. */
    record Scenario(
            String name,
            long seed,
            int participants,
            int teams,
            int days,
            int ingestInstances,
            int streamsInstances,
            Duration roundPause,
            Duration minKillGap,
            Duration maxKillGap,
            int brokerBounces,
            Duration brokerDowntime,
            Duration catchUp) {
        static Scenario bounded() {
            return new Scenario(
                    "bounded",
                    Long.getLong("crash.seed", 20261125L),
                    16,
                    4,
                    12,
                    2,
                    2,
                    Duration.ofMillis(3500),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(9),
                    1,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(150));
        }

        static Scenario soak() {
            return new Scenario(
                    "soak",
                    Long.getLong("crash.seed", 20261126L),
                    60,
                    6,
                    20,
                    2,
                    3,
                    Duration.ofMillis(10000),
                    Duration.ofSeconds(4),
                    Duration.ofSeconds(10),
                    4,
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(300));
        }
    }

    @BeforeAll
    static void startCluster() {
        // replicated internal topics (Kafka Streams changelogs and repartition topics take the broker default), so a
        // stopped broker never makes a partition unavailable
        cluster = EmbeddedKafkaCluster.start(3, Map.of("default.replication.factor", "3", "min.insync.replicas", "2"));
        registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0, "_schemas");
    }

    @AfterAll
    static void stopCluster() {
        ChildJvm.killAll();
        if (registry != null) {
            registry.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void killChildren() {
        processes.forEach(EngageProcess::kill);
        ChildJvm.killAll();
        assertThat(ChildJvm.liveCount()).as("no child JVM outlives the test").isZero();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void boundedCrashesAndABrokerBounceChangeNoCommittedOutput(@TempDir Path tmp) throws Exception {
        run(Scenario.bounded(), tmp);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void soakWithManyCrashesAndBrokerBouncesChangesNoCommittedOutput(@TempDir Path tmp) throws Exception {
        run(Scenario.soak(), tmp);
    }

    private void run(Scenario s, Path tmp) throws Exception {
        long t0 = System.nanoTime();
        String prefix = "crash-" + s.name() + "-";
        TopicCatalogue catalogue = new TopicCatalogue(prefix);
        Map<String, Object> registryConfig = Map.of("schema.registry.url", registry.url());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            new TopicProvisioner(admin, catalogue).createMissing();
        }
        new SchemaProvisioner(SchemaRegistryClients.forConfig(registryConfig), catalogue).registerAll();
        TopicSerdes serdes = new TopicSerdes(registryConfig);

        CrashWorkload w = CrashWorkload.generate(
                s.seed(), "prog-" + s.name(), s.participants(), s.teams(), s.days(), Instant.now());
        CrashWorkload.Rules rules = w.rules();
        int crossings = w.expectedDonationIds().size();
        log(
                "%s: seed %d, %d participants in %d teams, %d days, %d readings + %d exact re-sends; %d donation crossings,"
                        + " budget %d raised to %d, cap %d per participant (binds for %d)",
                s.name(),
                s.seed(),
                s.participants(),
                s.teams(),
                s.days(),
                w.readingCount(),
                w.resendCount(),
                crossings,
                rules.budget(),
                rules.raisedBudget(),
                rules.maxDonationsPerParticipant(),
                w.cappedParticipants());
        assertThat(crossings).as("the input exercises DEFERRED").isGreaterThan(rules.raisedBudget());
        assertThat(w.cappedParticipants())
                .as("the input exercises the per-participant cap")
                .isPositive();

        Path logs = Path.of("target", "crash-logs", s.name() + "-" + System.currentTimeMillis());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            Instant at = Instant.now();
            send(producer, catalogue, serdes, Topics.PROGRAMS, rules.programId(), w.program(rules.budget(), at));
            w.teamRecords(at).forEach(t -> send(producer, catalogue, serdes, Topics.TEAMS, t.getTeamId(), t));
            w.participantRecords(at)
                    .forEach(p -> send(producer, catalogue, serdes, Topics.PARTICIPANTS, p.getParticipantId(), p));
            w.deviceRecords(at).forEach(d -> send(producer, catalogue, serdes, Topics.DEVICES, d.getDeviceId(), d));
            producer.flush();

            for (int i = 1; i <= s.ingestInstances(); i++) {
                processes.add(engage(s, "ingest", i, prefix, tmp, logs));
            }
            for (int i = 1; i <= s.streamsInstances(); i++) {
                processes.add(engage(s, "streams", i, prefix, tmp, logs));
            }
            processes.forEach(EngageProcess::start);
            awaitAllReady(Duration.ofSeconds(120));
            long started = System.nanoTime();
            log("%s: %d child JVMs ready after %d s (logs in %s)", s.name(), processes.size(), secondsSince(t0), logs);

            Chaos chaos = new Chaos(s, new Random(s.seed() ^ 0x5eedL));
            chaos.start();
            try {
                int raiseAt = s.days() * 2 / 3;
                for (int r = 0; r < s.days(); r++) {
                    publish(producer, catalogue, serdes, w.rounds().get(r));
                    publish(producer, catalogue, serdes, w.resends().get(r));
                    // the budget is raised once something was deferred, so the raise releases something: during the
                    // run when processing keeps up, else after the last round
                    if (!raised && r >= raiseAt && deferralSeen(catalogue, serdes)) {
                        raiseBudget(s, w, producer, catalogue, serdes, "after round " + r);
                    }
                    ChildJvm.sleep(s.roundPause().toMillis());
                }
            } finally {
                chaos.stop();
            }
            if (!raised) {
                awaitFirstDeferral(s, catalogue, serdes);
                raiseBudget(s, w, producer, catalogue, serdes, "after the last round");
            }
            long fed = System.nanoTime();
            // more crashes while the backlog is processed: every instance the chaos did not reach, else the last one
            List<EngageProcess> victims =
                    processes.stream().filter(p -> !chaos.killed.contains(p)).toList();
            for (EngageProcess victim : victims.isEmpty() ? List.of(processes.get(processes.size() - 1)) : victims) {
                victim.kill();
                chaos.kills.incrementAndGet();
                chaos.killed.add(victim);
                log("%s: kill %d (catching up): %s", s.name(), chaos.kills.get(), victim.name());
                victim.start();
            }
            for (EngageProcess p : processes) {
                if (!p.alive()) {
                    p.start();
                }
            }
            log(
                    "%s: input fed in %d s with %d kills and %d broker bounces; waiting for the outputs",
                    s.name(), secondsBetween(started, fed), chaos.kills.get(), chaos.bounces.get());
            assertThat(chaos.failures).as("chaos actions").isEmpty();

            verify(s, w, catalogue, serdes, fed);
            log(
                    "%s: verified %d s after feeding ended; %d s in all; %d kills, %d broker bounces, %d JVM starts",
                    s.name(),
                    secondsSince(fed),
                    secondsSince(t0),
                    chaos.kills.get(),
                    chaos.bounces.get(),
                    processes.stream().mapToInt(EngageProcess::starts).sum());
            assertThat(chaos.killed)
                    .as("every instance was killed at least once")
                    .containsExactlyInAnyOrderElementsOf(processes);
            assertThat(chaos.bounces.get()).as("brokers were bounced").isEqualTo(s.brokerBounces());
        }
    }

    // ---- verification ----------------------------------------------------------------------------------------

    private void verify(Scenario s, CrashWorkload w, TopicCatalogue catalogue, TopicSerdes serdes, long fed)
            throws Exception {
        String bootstrap = cluster.bootstrapServers();
        Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> totals = w.dayTotals();
        Set<String> goals = w.goalEventIds();
        Map<String, Long> points = w.points();
        Set<String> donationIds = w.expectedDonationIds();
        try (CommittedTopic<ParticipantDay, DailyActivity> daily =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.ACTIVITY_DAILY);
                CommittedTopic<String, GoalAchieved> goalTopic =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.GOALS_ACHIEVED);
                CommittedTopic<String, PointsAwarded> pointTopic =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.ENGAGEMENT_POINTS);
                CommittedTopic<String, Donation> donationTopic =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.DONATIONS);
                CommittedTopic<String, RejectedReading> rejected =
                        new CommittedTopic<>(bootstrap, catalogue, serdes, Topics.READINGS_REJECTED)) {
            try {
                Awaitility.await()
                        .atMost(s.catchUp())
                        .pollInterval(Duration.ofSeconds(2))
                        .pollDelay(Duration.ZERO)
                        .untilAsserted(() -> {
                            assertThat(lastPerDay(daily.drain()))
                                    .as("activity.daily, last value per day")
                                    .isEqualTo(totals);
                            assertThat(goalTopic.drain().stream()
                                            .map(r -> r.value().getEventId())
                                            .collect(Collectors.toSet()))
                                    .as("goal event ids")
                                    .isEqualTo(goals);
                            assertThat(pointsPerParticipant(pointTopic.drain(), points.keySet()))
                                    .as("points")
                                    .isEqualTo(points);
                            assertThat(donationIds(donationTopic.drain()))
                                    .as("donation ids")
                                    .isEqualTo(donationIds);
                            assertThat(released(donationTopic.drain()))
                                    .as("decided within the raised budget")
                                    .isEqualTo(Math.min(w.rules().raisedBudget(), donationIds.size()));
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                log(
                        "%s: outputs did not match the oracle; rejected readings: %s; processes: %s; hanging transactions: %s",
                        s.name(),
                        rejected.drain().stream()
                                .map(r -> r.value().getReason() + " " + r.key())
                                .limit(20)
                                .toList(),
                        processes,
                        HangingTransactions.find(bootstrap));
                throw e;
            }
            log("%s: outputs matched the oracle %d s after feeding ended", s.name(), secondsSince(fed));
            // team donations are flushed by a wall-clock punctuator; give late records (duplicates included) time to
            // show
            ChildJvm.sleep(5_000);

            List<CommittedTopic.Rec<ParticipantDay, DailyActivity>> days = daily.drain();
            assertThat(lastPerDay(days))
                    .as("activity.daily, last value per day")
                    .isEqualTo(totals);

            List<CommittedTopic.Rec<String, GoalAchieved>> goalEvents = goalTopic.drain();
            assertThat(duplicates(
                            goalEvents.stream().map(r -> r.value().getEventId()).toList()))
                    .as("duplicate goal event ids")
                    .isEmpty();
            assertThat(goalEvents.stream().map(r -> r.value().getEventId()).collect(Collectors.toSet()))
                    .isEqualTo(goals);
            assertThat(goalEvents)
                    .allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getParticipantId()));

            List<CommittedTopic.Rec<String, PointsAwarded>> awards = pointTopic.drain();
            assertThat(duplicates(
                            awards.stream().map(r -> r.value().getAwardId()).toList()))
                    .as("duplicate point award ids")
                    .isEmpty();
            assertThat(pointsPerParticipant(awards, points.keySet()))
                    .as("points per participant")
                    .isEqualTo(points);
            long stepGoalDays = goals.stream().filter(g -> g.endsWith(":steps")).count();
            assertThat(awards.stream()
                            .filter(a -> a.value().getReason() == PointsReason.STEP_GOAL)
                            .count())
                    .as("one step-goal award per step-goal day")
                    .isEqualTo(stepGoalDays);
            assertThat(awards.stream()
                            .filter(a -> a.value().getReason() == PointsReason.ACTIVE_MINUTES_GOAL)
                            .count())
                    .as("one active-minutes award per active-minutes goal day")
                    .isEqualTo(goals.size() - stepGoalDays);

            assertThat(rejected.drain()).as("nothing dead-lettered").isEmpty();

            List<CommittedTopic.Rec<String, Donation>> donations = donationTopic.drain();
            verifyDonations(w, donations, donationIds);
            verifyQueryApi(w, points, donationIds);
            log(
                    "%s: %d activity.daily records for %d days, %d goal events, %d point awards (%d points), %d donation records",
                    s.name(),
                    days.size(),
                    totals.size(),
                    goalEvents.size(),
                    awards.size(),
                    points.values().stream().mapToLong(Long::longValue).sum(),
                    donations.size());
        }
    }

    /**
     * docs/query.md, "any instance answers any key": every streams instance answers every participant's summary and
     * the programme's donations identically (each holds only some of the keys; the rest are forwarded to their owner),
     * and the answers agree with the oracle.
     */
    private void verifyQueryApi(CrashWorkload w, Map<String, Long> points, Set<String> donationIds) {
        List<EngageProcess> instances =
                processes.stream().filter(p -> p.name().startsWith("streams-")).toList();
        assertThat(instances).hasSizeGreaterThan(1);
        for (EngageProcess instance : instances) {
            if (instance.port() <= 0) {
                instance.awaitPort(Duration.ofSeconds(60)); // restarted while the backlog was processed
            }
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    for (CrashWorkload.Person person : w.people()) {
                        String path = "/v1/participants/" + person.participantId();
                        Set<String> answers = new TreeSet<>();
                        for (EngageProcess instance : instances) {
                            Map.Entry<Integer, String> answer = instance.get(path, READ_TOKEN);
                            assertThat(answer.getKey())
                                    .as("%s on %s: %s", path, instance.name(), answer.getValue())
                                    .isEqualTo(200);
                            JsonNode body = JSON.readTree(answer.getValue());
                            assertThat(body.path("points").asLong())
                                    .as("points of %s from %s", person.participantId(), instance.name())
                                    .isEqualTo(points.get(person.participantId()));
                            answers.add(answer.getValue());
                        }
                        assertThat(answers)
                                .as("%s answers the same on every instance", path)
                                .hasSize(1);
                    }
                    String path = "/v1/programs/" + w.rules().programId() + "/donations";
                    Set<String> answers = new TreeSet<>();
                    for (EngageProcess instance : instances) {
                        Map.Entry<Integer, String> answer = instance.get(path, READ_TOKEN);
                        assertThat(answer.getKey())
                                .as("%s on %s: %s", path, instance.name(), answer.getValue())
                                .isEqualTo(200);
                        assertThat(JSON.readTree(answer.getValue())
                                        .path("triggered")
                                        .asLong())
                                .as("triggered")
                                .isEqualTo(Math.min(w.rules().raisedBudget(), donationIds.size()));
                        answers.add(answer.getValue());
                    }
                    assertThat(answers)
                            .as("%s answers the same on every instance", path)
                            .hasSize(1);
                });
        log(
                "query API: %d participants and the programme answered alike by %d instances",
                w.people().size(), instances.size());
    }

    /** The donation ledger: unique decisions, exactly the promised ids, the budget and its raise, the cap. */
    private static void verifyDonations(
            CrashWorkload w, List<CommittedTopic.Rec<String, Donation>> donations, Set<String> expected) {
        CrashWorkload.Rules rules = w.rules();
        assertThat(duplicates(donations.stream()
                        .map(r -> r.value().getDonationId() + "/" + r.value().getStatus())
                        .toList()))
                .as("duplicate (donationId, status)")
                .isEmpty();
        assertThat(donationIds(donations)).as("donation ids").isEqualTo(expected);
        assertThat(donations).allSatisfy(r -> {
            assertThat(r.key()).as("keyed by programme").isEqualTo(rules.programId());
            assertThat(r.value().getProgramId()).isEqualTo(rules.programId());
            String id = r.value().getDonationId();
            assertThat(id).endsWith(":" + r.value().getSequence());
            if (r.value().getTeamId() != null) {
                assertThat(id)
                        .startsWith("don:" + rules.programId() + ":team:"
                                + r.value().getTeamId() + ":");
            } else {
                assertThat(id)
                        .startsWith("don:" + rules.programId() + ":" + r.value().getParticipantId() + ":");
            }
        });
        Map<String, List<DonationStatus>> statuses = new LinkedHashMap<>();
        List<String> deferredInOrder = new ArrayList<>();
        donations.stream()
                .sorted(java.util.Comparator.comparingInt((CommittedTopic.Rec<String, Donation> r) -> r.partition())
                        .thenComparingLong(CommittedTopic.Rec::offset))
                .forEach(r -> {
                    statuses.computeIfAbsent(r.value().getDonationId(), k -> new ArrayList<>())
                            .add(r.value().getStatus());
                    if (r.value().getStatus() == DonationStatus.DEFERRED) {
                        deferredInOrder.add(r.value().getDonationId());
                    }
                });
        assertThat(statuses.values())
                .as("each donation: TRIGGERED, DEFERRED, or DEFERRED then RELEASED")
                .allSatisfy(l -> assertThat(l)
                        .isIn(
                                List.of(DonationStatus.TRIGGERED),
                                List.of(DonationStatus.DEFERRED),
                                List.of(DonationStatus.DEFERRED, DonationStatus.RELEASED)));
        int decided = Math.min(rules.raisedBudget(), expected.size());
        assertThat(released(donations))
                .as("TRIGGERED + RELEASED = min(budget, crossings)")
                .isEqualTo(decided);
        long stillDeferred = statuses.values().stream()
                .filter(l -> l.equals(List.of(DonationStatus.DEFERRED)))
                .count();
        assertThat(stillDeferred).as("DEFERRED = the rest").isEqualTo(expected.size() - decided);
        long triggered = statuses.values().stream()
                .filter(l -> l.equals(List.of(DonationStatus.TRIGGERED)))
                .count();
        assertThat(triggered)
                .as("the first budget was spent before anything was deferred")
                .isGreaterThanOrEqualTo(rules.budget());
        Set<String> releasedIds = statuses.entrySet().stream()
                .filter(e -> e.getValue().contains(DonationStatus.RELEASED))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(releasedIds)
                .as("the budget raise released some deferred donations")
                .isNotEmpty();
        assertThat(new HashSet<>(deferredInOrder.subList(0, releasedIds.size())))
                .as("released oldest first")
                .isEqualTo(releasedIds);
    }

    private static Set<String> donationIds(List<CommittedTopic.Rec<String, Donation>> donations) {
        Set<String> ids = new TreeSet<>();
        donations.forEach(r -> ids.add(r.value().getDonationId()));
        return ids;
    }

    /** Donations decided positively: TRIGGERED or RELEASED (distinct ids). */
    private static long released(List<CommittedTopic.Rec<String, Donation>> donations) {
        return donations.stream()
                .filter(r -> r.value().getStatus() != DonationStatus.DEFERRED)
                .map(r -> r.value().getDonationId())
                .distinct()
                .count();
    }

    static Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> lastPerDay(
            List<CommittedTopic.Rec<ParticipantDay, DailyActivity>> records) {
        Map<CrashWorkload.DayKey, CrashWorkload.DayTotals> out = new TreeMap<>();
        for (CommittedTopic.Rec<ParticipantDay, DailyActivity> r : records) {
            LocalDate date = r.key().getDate();
            CrashWorkload.DayKey key = new CrashWorkload.DayKey(r.key().getParticipantId(), date);
            if (r.value() == null) {
                out.remove(key);
            } else {
                double am = r.value().getActiveMinutes();
                out.put(
                        key,
                        new CrashWorkload.DayTotals(r.value().getSteps(), Math.round(am) == am ? Math.round(am) : -1));
            }
        }
        return out;
    }

    private static Map<String, Long> pointsPerParticipant(
            List<CommittedTopic.Rec<String, PointsAwarded>> awards, Set<String> participants) {
        Map<String, Long> out = new TreeMap<>();
        participants.forEach(p -> out.put(p, 0L));
        awards.forEach(
                a -> out.merge(a.value().getParticipantId(), (long) a.value().getPoints(), Long::sum));
        return out;
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

    // ---- input -----------------------------------------------------------------------------------------------

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cluster.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        180_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        20_000,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    static <V> void send(
            KafkaProducer<String, byte[]> producer,
            TopicCatalogue catalogue,
            TopicSerdes serdes,
            TopicSpec<String, V> spec,
            String key,
            V value) {
        String topic = catalogue.name(spec);
        producer.send(new ProducerRecord<>(
                topic, key, serdes.valueSerde(spec).serializer().serialize(topic, value)));
    }

    /**
     * Publishes readings keyed by device id and waits for every acknowledgement; a failed send is sent again (a re-send
     * is idempotent by reading identity) before the next round, so each participant's days stay in date order.
     */
    static void publish(
            KafkaProducer<String, byte[]> producer,
            TopicCatalogue catalogue,
            TopicSerdes serdes,
            List<CrashWorkload.Reading> readings) {
        String topic = catalogue.name(Topics.READINGS_RAW);
        var serializer = serdes.valueSerde(Topics.READINGS_RAW).serializer();
        List<CrashWorkload.Reading> pending = readings;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 5) {
                throw new IllegalStateException(pending.size() + " readings could not be published in 5 attempts");
            }
            List<CrashWorkload.Reading> failed = new CopyOnWriteArrayList<>();
            for (CrashWorkload.Reading r : pending) {
                producer.send(
                        new ProducerRecord<>(topic, r.person().deviceId(), serializer.serialize(topic, r.toRaw())),
                        (md, e) -> {
                            if (e != null) {
                                failed.add(r);
                            }
                        });
            }
            producer.flush();
            pending = List.copyOf(failed);
        }
    }

    private boolean raised;

    private void raiseBudget(
            Scenario s,
            CrashWorkload w,
            KafkaProducer<String, byte[]> producer,
            TopicCatalogue catalogue,
            TopicSerdes serdes,
            String when) {
        send(
                producer,
                catalogue,
                serdes,
                Topics.PROGRAMS,
                w.rules().programId(),
                w.program(w.rules().raisedBudget(), Instant.now()));
        producer.flush();
        raised = true;
        log(
                "%s: a donation was deferred; budget raised to %d %s",
                s.name(), w.rules().raisedBudget(), when);
    }

    /** Whether a DEFERRED decision is committed on {@code donations} yet. */
    private static boolean deferralSeen(TopicCatalogue catalogue, TopicSerdes serdes) {
        try (CommittedTopic<String, Donation> donations =
                new CommittedTopic<>(cluster.bootstrapServers(), catalogue, serdes, Topics.DONATIONS)) {
            return donations.drain().stream().anyMatch(r -> r.value().getStatus() == DonationStatus.DEFERRED);
        }
    }

    /** Waits (bounded) for the first DEFERRED decision. */
    private static void awaitFirstDeferral(Scenario s, TopicCatalogue catalogue, TopicSerdes serdes) {
        try (CommittedTopic<String, Donation> donations =
                new CommittedTopic<>(cluster.bootstrapServers(), catalogue, serdes, Topics.DONATIONS)) {
            Awaitility.await()
                    .atMost(s.catchUp())
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() ->
                            donations.drain().stream().anyMatch(r -> r.value().getStatus() == DonationStatus.DEFERRED));
        }
    }

    // ---- processes and chaos ---------------------------------------------------------------------------------

    private static EngageProcess engage(Scenario s, String command, int index, String prefix, Path tmp, Path logs) {
        String name = command + "-" + index;
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--schema-registry-url",
                registry.url(),
                "--data-dir",
                tmp.resolve(name).toString(),
                "--topic-prefix",
                prefix,
                "--late-horizon",
                "P30D",
                command.equals("ingest") ? "--ingest-port" : "--query-port",
                "0",
                "-D",
                "application.id=crash-" + s.name(),
                // a killed member leaves the group after 10 s instead of the default 45 s
                "-D",
                "kafka.session.timeout.ms=10000",
                "-D",
                "kafka.heartbeat.interval.ms=2000"));
        String guarantee = System.getProperty("crash.guarantee");
        if (guarantee != null && !guarantee.isBlank()) {
            // the negative control (docs/crash-tests.md): at_least_once must make this test fail
            args.addAll(List.of("-D", "processing.guarantee=" + guarantee));
        }
        if (command.equals("ingest")) {
            args.addAll(List.of(
                    "-D",
                    "auth.token.gateway=" + GATEWAY_TOKEN,
                    "-D",
                    "auth.token.admin=" + ADMIN_TOKEN,
                    // a restarted instance keeps its transactional id, fencing the killed one's open transaction
                    "-D",
                    "instance.id=crash-" + s.name() + "-" + name));
        } else {
            args.addAll(List.of("-D", "auth.token.read=" + READ_TOKEN));
        }
        return EngageProcess.of(name, logs, command, args);
    }

    private void awaitAllReady(Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (EngageProcess p : processes) {
                if (!p.alive()) {
                    throw new IllegalStateException(p + " died during start-up");
                }
                p.awaitPort(Duration.ofSeconds(60));
                if (!p.ready()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Kills random instances (SIGKILL, restart after a moment) and bounces brokers until stopped. */
    private final class Chaos {
        final AtomicInteger kills = new AtomicInteger();
        final AtomicInteger bounces = new AtomicInteger();
        final Set<EngageProcess> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final Scenario s;
        private final Random rnd;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Chaos(Scenario s, Random rnd) {
            this.s = s;
            this.rnd = rnd;
        }

        void start() {
            threads.add(new Thread(this::killLoop, "chaos-kills"));
            threads.add(new Thread(this::brokerLoop, "chaos-brokers"));
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(2));
                assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
            }
        }

        private void killLoop() {
            try {
                List<EngageProcess> order = new ArrayList<>();
                while (!pause(between(s.minKillGap(), s.maxKillGap())) && !awaitAllReadyOrStop()) {
                    // random order, but every instance dies once before any dies again
                    if (order.isEmpty()) {
                        order.addAll(processes);
                        java.util.Collections.shuffle(order, rnd);
                    }
                    EngageProcess victim = order.remove(0);
                    victim.kill();
                    killed.add(victim);
                    int n = kills.incrementAndGet();
                    log("%s: kill %d: %s", s.name(), n, victim.name());
                    pause(300 + rnd.nextInt(2000));
                    victim.start();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        private void brokerLoop() {
            try {
                List<Integer> brokers = new ArrayList<>(cluster.brokerIds());
                long feedMillis = s.roundPause().toMillis() * s.days();
                long gap = feedMillis / (s.brokerBounces() + 1);
                for (int b = 0; b < s.brokerBounces(); b++) {
                    if (pause(Math.max(1000, gap - s.brokerDowntime().toMillis()))) {
                        return;
                    }
                    int id = brokers.get(rnd.nextInt(brokers.size()));
                    log("%s: stopping broker %d", s.name(), id);
                    cluster.stopBroker(id);
                    ChildJvm.sleep(s.brokerDowntime().toMillis()); // not cut short: the broker always comes back
                    cluster.startBroker(id);
                    bounces.incrementAndGet();
                    log("%s: broker %d started again", s.name(), id);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        /**
         * Waits (at most two minutes) until every instance is ready again, so the application makes progress between
         * kills even on a busy machine where a JVM takes long to start; true when stopped meanwhile.
         */
        private boolean awaitAllReadyOrStop() {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                if (stopped.get()) {
                    return true;
                }
                boolean all = true;
                for (EngageProcess p : processes) {
                    if (p.port() <= 0) {
                        try {
                            p.awaitPort(Duration.ofMillis(200));
                        } catch (IllegalStateException e) {
                            // not started yet
                        }
                    }
                    all &= p.ready();
                }
                if (all) {
                    return false;
                }
                pause(500);
            }
            return stopped.get();
        }

        private long between(Duration min, Duration max) {
            return min.toMillis() + (long) (rnd.nextDouble() * (max.toMillis() - min.toMillis()));
        }

        /** Sleeps; true when stopped. */
        private boolean pause(long millis) {
            long deadline = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < deadline) {
                if (stopped.get()) {
                    return true;
                }
                ChildJvm.sleep(Math.min(100, Math.max(1, deadline - System.currentTimeMillis())));
            }
            return stopped.get();
        }
    }

    private static long secondsSince(long nanos) {
        return secondsBetween(nanos, System.nanoTime());
    }

    private static long secondsBetween(long from, long to) {
        return TimeUnit.NANOSECONDS.toSeconds(to - from);
    }

    private static void log(String format, Object... args) {
        System.out.printf(
                "[crash %tT] %s%n", System.currentTimeMillis(), String.format(java.util.Locale.ROOT, format, args));
    }
}
