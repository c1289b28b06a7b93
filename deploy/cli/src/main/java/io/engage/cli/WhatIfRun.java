package io.engage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.avro.Donation;
import io.engage.avro.GoalAchieved;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Participant;
import io.engage.avro.PointsAwarded;
import io.engage.avro.Program;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.streams.EngagementTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ./engage replay what-if} (docs/replay.md): the engagement topology, as the streams process runs it, over a
 * copy of history under an isolated application id and isolated topics ({@code <topic.prefix>whatif-<run>.}), with
 * one programme's rules replaced; then the same tally over the isolated outputs and the production outputs; then
 * everything the run created is removed (topics, internal topics, consumer group, registry subjects, local state),
 * also when the run is interrupted. Production topics are only read, by consumers without a group.
 */
final class WhatIfRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhatIfRun.class);
    private static final Duration READ_LIMIT = Duration.ofMinutes(10);
    /** Readings are looked for from a day before {@code --from}: a reading's record time is its receipt, after its start. */
    private static final Duration LOOK_BACK = Duration.ofDays(1);

    private final EngageConfig production;
    private final EngageConfig isolated;
    private final TopicCatalogue productionTopics;
    private final TopicCatalogue isolatedTopics;
    private final String isolatedApplicationId;
    private final Path stateDir;
    private final PrintWriter err;
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final Thread onInterrupt;
    private volatile KafkaStreams streams;
    /**
     * Held by {@link #run} while it creates or uses anything isolated: a clean-up from the shutdown hook (Ctrl-C,
     * SIGTERM) interrupts the run and waits for it to let go, so that nothing is created after the removal began (a
     * topic created in the background, a producer's send re-creating a deleted topic, an application started late).
     */
    private final ReentrantLock working = new ReentrantLock();
    /** Open once the removal is done, for a second {@link #cleanUp} (the hook during the end-of-run clean-up). */
    private final java.util.concurrent.CountDownLatch removed = new java.util.concurrent.CountDownLatch(1);

    private volatile Thread runner;
    /** How long a clean-up on interruption waits for the interrupted run to let go of what it uses. */
    private static final Duration LET_GO = Duration.ofSeconds(30);

    /** The run's figures: the programme compared, the actual column, the what-if column. */
    record Result(String programId, WhatIfTally.Figures actual, WhatIfTally.Figures whatIf) {}

    WhatIfRun(EngageConfig production, PrintWriter err) {
        this.production = production;
        this.err = err;
        String run = UUID.randomUUID().toString().substring(0, 8);
        try {
            this.stateDir = Files.createTempDirectory("engage-whatif-");
        } catch (IOException e) {
            throw new UserException("cannot create a temporary directory for the what-if state: " + e.getMessage());
        }
        this.isolated = production.with(Map.of(
                EngageConfig.TOPIC_PREFIX,
                production.topicPrefix() + "whatif-" + run + ".",
                EngageConfig.APPLICATION_ID,
                production.get(EngageConfig.APPLICATION_ID) + "-whatif-" + run,
                EngageConfig.DATA_DIR,
                stateDir.toString()));
        this.productionTopics = new TopicCatalogue(production.topicPrefix());
        this.isolatedTopics = new TopicCatalogue(isolated.topicPrefix());
        this.isolatedApplicationId = EngagementTopology.applicationId(isolated);
        this.onInterrupt = new Thread(this::cleanUp, "engage-whatif-cleanup");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
    }

    /** The prefix of the run's topics ({@code <topic.prefix>whatif-<run>.}). */
    String isolatedPrefix() {
        return isolated.topicPrefix();
    }

    /**
     * Replays the readings of participants of {@code rules}' programme whose start falls on a local date in
     * {@code [from, to]} with {@code rules} in place of the programme's current rules, and tallies both columns.
     *
     * @throws UsageException when the programme does not exist
     */
    Result run(JsonNode body, String programIdOrNull, LocalDate from, LocalDate to) throws Exception {
        working.lock();
        try {
            runner = Thread.currentThread(); // before the check: a clean-up that starts after it interrupts this thread
            stopIfInterrupted();
            return runLocked(body, programIdOrNull, from, to);
        } finally {
            runner = null;
            working.unlock();
        }
    }

    private Result runLocked(JsonNode body, String programIdOrNull, LocalDate from, LocalDate to) throws Exception {
        TopicSerdes serdes = new TopicSerdes(production.registryClientConfigs());
        Reference reference = Reference.read(production, productionTopics, serdes);
        String known = String.join(", ", new java.util.TreeSet<>(reference.programs.keySet()));
        String programId = programIdOrNull;
        if (programId == null) {
            if (reference.programs.size() != 1) {
                throw new UsageException("--program-id is needed: the cluster has "
                        + (reference.programs.isEmpty() ? "no programme" : "the programmes " + known));
            }
            programId = reference.programs.keySet().iterator().next();
        }
        Program current = reference.programs.get(programId);
        if (current == null) {
            throw new UsageException("programme '" + programId + "' does not exist; programmes: " + known);
        }
        Program rules = WhatIfCommand.rules(programId, body);
        Set<String> members = reference.membersOf(programId);
        err.printf(
                Locale.ROOT,
                "engage replay what-if: %d participants of %s, isolated topics %s*, application %s%n",
                members.size(),
                programId,
                isolated.topicPrefix(),
                isolatedApplicationId);
        err.flush();

        try (Admin admin = Admin.create(KafkaClientConfigs.admin(production))) {
            new TopicProvisioner(admin, isolatedTopics).createMissing();
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                KafkaClientConfigs.producer(production, "engage-whatif"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            copyReference(producer, reference, rules, serdes);
            copyReadings(producer, serdes, members, from, to);
            copyCheers(producer, from);
            producer.flush();
        }

        Properties props = EngagementTopology.streamsProperties(isolated);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams = new KafkaStreams(EngagementTopology.build(isolated, new SimpleMeterRegistry()), props);
        streams.start();
        EngagementSummary.waitForEngagement(isolated, isolatedTopics, new ProgressBar(err, "what-if"));
        close(streams);
        stopIfInterrupted(); // KafkaStreams.close waits through an interrupt without passing it on

        Map<String, ZoneId> zones = reference.zones();
        WhatIfTally whatIf = tally(isolatedTopics, serdes, programId, from, to, zones);
        stopIfInterrupted();
        WhatIfTally actual = tally(productionTopics, serdes, programId, from, to, zones);
        return new Result(
                programId, actual.figures(current.getDonationBudget()), whatIf.figures(rules.getDonationBudget()));
    }

    /** Ends the run when a clean-up has begun (the interrupt itself may have been swallowed by a client call). */
    private void stopIfInterrupted() throws InterruptedException {
        if (cleaned.get() || Thread.interrupted()) {
            throw new InterruptedException("the what-if was interrupted");
        }
    }

    /** The programmes (with {@code rules} in place of its programme), teams and profiles as they stand now. */
    private void copyReference(
            KafkaProducer<byte[], byte[]> producer, Reference reference, Program rules, TopicSerdes serdes) {
        String programs = isolatedTopics.name(Topics.PROGRAMS);
        reference.rawPrograms.forEach((id, value) -> {
            if (!id.equals(rules.getProgramId())) {
                producer.send(new ProducerRecord<>(programs, key(id), value));
            }
        });
        producer.send(new ProducerRecord<>(
                programs,
                key(rules.getProgramId()),
                serdes.valueSerde(Topics.PROGRAMS).serializer().serialize(programs, rules)));
        String teams = isolatedTopics.name(Topics.TEAMS);
        reference.rawTeams.forEach((id, value) -> producer.send(new ProducerRecord<>(teams, key(id), value)));
        String participants = isolatedTopics.name(Topics.PARTICIPANTS);
        reference.rawProfiles.forEach((id, value) -> producer.send(new ProducerRecord<>(participants, key(id), value)));
    }

    /**
     * The normalised readings of the programme's participants whose start is on a local date in {@code [from, to]}
     * (the reading's zone, else its offset), with their keys, timestamps and partitions.
     */
    private void copyReadings(
            KafkaProducer<byte[], byte[]> producer,
            TopicSerdes serdes,
            Set<String> members,
            LocalDate from,
            LocalDate to) {
        String source = productionTopics.name(Topics.READINGS_NORMALIZED);
        String target = isolatedTopics.name(Topics.READINGS_NORMALIZED);
        Deserializer<NormalizedReading> de =
                serdes.valueSerde(Topics.READINGS_NORMALIZED).deserializer();
        ProgressBar bar = new ProgressBar(err, "copying");
        long[] copied = new long[1];
        Instant since = from.atStartOfDay(ZoneOffset.UTC).toInstant().minus(LOOK_BACK);
        boolean samePartitions = partitionCount(source) == partitionCount(target);
        readSince(source, since, bar, r -> {
            if (r.value() == null) {
                return;
            }
            NormalizedReading reading;
            try {
                reading = de.deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                return; // not a reading the engagement topology would count either
            }
            if (!members.contains(reading.getParticipantId())) {
                return;
            }
            ZoneId zone = zoneOf(reading);
            LocalDate day = LocalDate.ofInstant(reading.getStart(), zone);
            if (day.isBefore(from) || day.isAfter(to)) {
                return;
            }
            producer.send(new ProducerRecord<>(
                    target, samePartitions ? r.partition() : null, r.timestamp(), r.key(), r.value(), r.headers()));
            copied[0]++;
        });
        bar.done(String.format(Locale.ROOT, "%,d readings copied", copied[0]));
    }

    private static ZoneId zoneOf(NormalizedReading reading) {
        if (reading.getZoneId() != null) {
            try {
                return ZoneId.of(reading.getZoneId());
            } catch (java.time.DateTimeException e) {
                // fall back to the reading's own offset, as the engagement rules do
            }
        }
        return ZoneOffset.ofTotalSeconds(reading.getOffsetSeconds());
    }

    /** The cheers from a day before {@code from} on: the giver's points are tallied by their date. */
    private void copyCheers(KafkaProducer<byte[], byte[]> producer, LocalDate from) {
        String source = productionTopics.name(Topics.SOCIAL_CHEERS);
        String target = isolatedTopics.name(Topics.SOCIAL_CHEERS);
        boolean samePartitions = partitionCount(source) == partitionCount(target);
        Instant since = from.atStartOfDay(ZoneOffset.UTC).toInstant().minus(LOOK_BACK);
        readSince(
                source,
                since,
                null,
                r -> producer.send(new ProducerRecord<>(
                        target,
                        samePartitions ? r.partition() : null,
                        r.timestamp(),
                        r.key(),
                        r.value(),
                        r.headers())));
    }

    private int partitionCount(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            return c.partitionsFor(topic, Duration.ofSeconds(30)).size();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(
                KafkaClientConfigs.consumer(production, null),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Every record of {@code topic} from the first offset at or after {@code since} (per partition) up to the end when
     * the read began, read_committed, without a consumer group.
     */
    private void readSince(
            String topic, Instant since, ProgressBar bar, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            Map<TopicPartition, Long> times = new HashMap<>();
            parts.forEach(tp -> times.put(tp, Math.max(0, since.toEpochMilli())));
            Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(times, Duration.ofSeconds(30));
            Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(30));
            c.assign(parts);
            long total = 0;
            Map<TopicPartition, Long> first = new HashMap<>();
            for (TopicPartition tp : parts) {
                OffsetAndTimestamp s = starts.get(tp);
                long start = s == null ? ends.get(tp) : Math.min(s.offset(), ends.get(tp));
                first.put(tp, start);
                c.seek(tp, start);
                total += ends.get(tp) - start;
            }
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            long lastShown = 0;
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new UserException("could not read " + topic + " within " + READ_LIMIT.toMinutes() + " min");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
                if (bar != null && System.nanoTime() - lastShown > TimeUnit.SECONDS.toNanos(1)) {
                    lastShown = System.nanoTime();
                    long done = 0;
                    for (TopicPartition tp : parts) {
                        done += Math.min(c.position(tp), ends.get(tp)) - first.get(tp);
                    }
                    bar.update(
                            total == 0 ? 1 : done / (double) total,
                            String.format(Locale.ROOT, "%,d of %,d offsets of %s", done, total, topic));
                }
            }
        }
    }

    private WhatIfTally tally(
            TopicCatalogue topics,
            TopicSerdes serdes,
            String programId,
            LocalDate from,
            LocalDate to,
            Map<String, ZoneId> zones) {
        WhatIfTally t = new WhatIfTally(programId, from, to, zones::get);
        Deserializer<GoalAchieved> goals =
                serdes.valueSerde(Topics.GOALS_ACHIEVED).deserializer();
        Deserializer<PointsAwarded> points =
                serdes.valueSerde(Topics.ENGAGEMENT_POINTS).deserializer();
        Deserializer<Donation> donations = serdes.valueSerde(Topics.DONATIONS).deserializer();
        readAll(topics.name(Topics.GOALS_ACHIEVED), r -> t.goal(goals.deserialize(r.topic(), r.value())));
        readAll(topics.name(Topics.ENGAGEMENT_POINTS), r -> t.points(points.deserialize(r.topic(), r.value())));
        readAll(topics.name(Topics.DONATIONS), r -> t.donation(donations.deserialize(r.topic(), r.value())));
        return t;
    }

    /** Every record with a value of a whole topic, read_committed, without a consumer group. */
    private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readAll(production, topic, each);
    }

    private static void readAll(EngageConfig config, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try {
            TopicToEnd.read(KafkaClientConfigs.consumer(config, null), topic, READ_LIMIT, r -> {
                if (r.value() != null) {
                    each.accept(r);
                }
            });
        } catch (IllegalStateException e) {
            throw new UserException("what-if: " + e.getMessage());
        }
    }

    private static byte[] key(String id) {
        return id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The reference data as it stands now: the last value of each key of the compacted topics. */
    private static final class Reference {
        final Map<String, byte[]> rawPrograms = new LinkedHashMap<>();
        final Map<String, Program> programs = new HashMap<>();
        final Map<String, byte[]> rawTeams = new LinkedHashMap<>();
        final Map<String, byte[]> rawProfiles = new LinkedHashMap<>();
        final Map<String, Participant> profiles = new HashMap<>();

        static Reference read(EngageConfig config, TopicCatalogue topics, TopicSerdes serdes) {
            Reference r = new Reference();
            Deserializer<Program> programs = serdes.valueSerde(Topics.PROGRAMS).deserializer();
            latest(config, topics.name(Topics.PROGRAMS), (id, value) -> {
                r.rawPrograms.put(id, value);
                r.programs.put(id, programs.deserialize(topics.name(Topics.PROGRAMS), value));
            });
            latest(config, topics.name(Topics.TEAMS), r.rawTeams::put);
            Deserializer<Participant> profiles =
                    serdes.valueSerde(Topics.PARTICIPANTS).deserializer();
            latest(config, topics.name(Topics.PARTICIPANTS), (id, value) -> {
                r.rawProfiles.put(id, value);
                r.profiles.put(id, profiles.deserialize(topics.name(Topics.PARTICIPANTS), value));
            });
            return r;
        }

        /** The last value of each key; a key whose last record is a tombstone is left out. */
        private static void latest(
                EngageConfig config, String topic, java.util.function.BiConsumer<String, byte[]> each) {
            Map<String, byte[]> last = new LinkedHashMap<>();
            try {
                TopicToEnd.read(KafkaClientConfigs.consumer(config, null), topic, READ_LIMIT, rec -> {
                    if (rec.key() == null) {
                        return;
                    }
                    String id = new String(rec.key(), java.nio.charset.StandardCharsets.UTF_8);
                    last.remove(id);
                    if (rec.value() != null) {
                        last.put(id, rec.value());
                    }
                });
            } catch (IllegalStateException e) {
                throw new UserException("what-if: " + e.getMessage());
            }
            last.forEach(each);
        }

        /** The participants whose profile now names the programme. */
        Set<String> membersOf(String programId) {
            Set<String> out = new HashSet<>();
            profiles.forEach((id, p) -> {
                if (programId.equals(p.getProgramId())) {
                    out.add(id);
                }
            });
            return out;
        }

        /** Each participant's zone, where the profile names one. */
        Map<String, ZoneId> zones() {
            Map<String, ZoneId> out = new HashMap<>();
            profiles.forEach((id, p) -> {
                if (p.getTimezone() != null) {
                    try {
                        out.put(id, ZoneId.of(p.getTimezone()));
                    } catch (java.time.DateTimeException e) {
                        // no zone: the tally uses UTC
                    }
                }
            });
            return out;
        }
    }

    /**
     * Removes everything the run created: the isolated topics and the application's internal topics, its consumer
     * group, the registry subjects of those topics, the local state. Runs once, at the end or on interruption.
     */
    void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) {
            // a Ctrl-C during the clean-up at the end of a run: the JVM halts when this hook returns, so wait for it
            try {
                if (!removed.await(LET_GO.toSeconds() * 3, TimeUnit.SECONDS)) {
                    LOG.warn("what-if: the clean-up under way did not finish within {}", LET_GO.multipliedBy(3));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            interruptAndRemove();
        } finally {
            removed.countDown();
        }
    }

    private void interruptAndRemove() {
        Thread interrupted = runner;
        if (interrupted != null && interrupted != Thread.currentThread()) {
            err.println("engage replay what-if: interrupted; removing the run's topics, group, subjects and state");
            err.flush();
            interrupted.interrupt();
        }
        boolean quiet = false;
        try {
            quiet = working.tryLock(LET_GO.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!quiet) {
                LOG.warn("what-if: the interrupted run did not stop within {}; removing its topics anyway", LET_GO);
            }
            removeEverything();
        } finally {
            if (quiet) {
                working.unlock();
            }
        }
    }

    private void removeEverything() {
        KafkaStreams s = streams;
        if (s != null) {
            close(s);
        }
        String prefix = isolated.topicPrefix();
        String internal = isolatedApplicationId + "-";
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(production))) {
            try {
                deleteTopics(admin, prefix, internal);
            } catch (Exception e) {
                LOG.warn("what-if: could not remove all topics of {}* and {}*: {}", prefix, internal, e.toString());
                err.println("engage replay what-if: could not remove the topics " + prefix + "* and " + internal
                        + "*; remove them by hand (" + e.getMessage() + ")");
            }
            try {
                deleteGroup(admin);
            } catch (Exception e) {
                LOG.warn("what-if: could not remove the consumer group {}: {}", isolatedApplicationId, e.toString());
                err.println("engage replay what-if: could not remove the consumer group " + isolatedApplicationId
                        + "; remove it by hand (" + e.getMessage() + ")");
            }
        }
        try {
            SchemaRegistryClient registry = SchemaRegistryClients.forConfig(production.registryClientConfigs());
            for (String subject : registry.subjects()) {
                if (subject.startsWith(prefix) || subject.startsWith(internal)) {
                    registry.deleteSubject(subject, false);
                    registry.deleteSubject(subject, true);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("what-if: could not remove the registry subjects of {}*: {}", prefix, e.toString());
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("what-if: could not remove {}: {}", stateDir, e.toString());
        }
        err.flush();
    }

    /** Closes the application, leaving its group at once (so that the group can be deleted). */
    private static void close(KafkaStreams s) {
        s.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                        org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    /**
     * Deletes the run's topics and the application's internal topics. A topic whose creation an interruption cut short
     * can appear after a first listing, so it lists again until none is left; one already gone meanwhile is no error.
     */
    private static void deleteTopics(Admin admin, String prefix, String internal) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<String> topics =
                    admin
                            .listTopics(new ListTopicsOptions().listInternal(true))
                            .names()
                            .get(30, TimeUnit.SECONDS)
                            .stream()
                            .filter(t -> t.startsWith(prefix) || t.startsWith(internal))
                            .toList();
            if (topics.isEmpty()) {
                return;
            }
            for (var deletion : admin.deleteTopics(topics).topicNameValues().values()) {
                try {
                    deletion.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics keep appearing: " + topics);
            }
            Thread.sleep(500);
        }
    }

    /** Deletes the run's consumer group; a group that still has a member leaving is tried again for a while. */
    private void deleteGroup(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.deleteConsumerGroups(List.of(isolatedApplicationId)).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                    return;
                }
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupNotEmptyException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
    }
}
