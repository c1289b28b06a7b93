package io.engage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.engage.cli.bench.BenchException;
import io.engage.cli.bench.BenchInput;
import io.engage.cli.bench.BenchRecord;
import io.engage.cli.bench.BenchReport;
import io.engage.cli.bench.HttpClientsProcess;
import io.engage.cli.bench.HttpLoad;
import io.engage.cli.bench.Latency;
import io.engage.cli.bench.Measurements;
import io.engage.cli.bench.Throughput;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.ingest.IngestProcess;
import io.engage.ingest.normalize.NormalizationTopology;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.engage.simulator.Pace;
import io.engage.simulator.SimulationSpec;
import io.engage.streams.EngagementTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./engage bench}: on one embedded KRaft broker with the embedded registry, and with the same generated
 * readings serialised once, measures (a) Kafka produce and consume, (b) a trivial exactly-once Kafka Streams count,
 * (c) the engage pipeline (normaliser and engagement, exactly-once), then the pipeline's end-to-end latency at half
 * of (c), its state per participant-day, each application alone on fresh topics (per-stage breakdown), optionally
 * (c) on populations of different sizes ({@code --scaling}), and the JVM's heap. See docs/benchmarks.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the pipeline's throughput against Kafka and Kafka Streams baselines on one embedded broker,"
                    + " its end-to-end latency under a paced load, its state per participant-day and heap use.",
            "Everything runs in this JVM in a temporary directory, on free ports. Progress goes to stderr, the report"
                    + " to stdout. See docs/benchmarks.md."
        })
final class BenchCommand implements Callable<Integer> {
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(5);
    /** Topic prefix and application id of the per-stage breakdown's fresh topics and applications. */
    static final String STAGES_PREFIX = "bench.stages.";

    static final String STAGES_APPLICATION_ID = "engage-bench-stages";

    /** Topic prefix and application id of (c)'s cold pass, its untimed first run over the whole input. */
    static final String COLD_PREFIX = "bench.cold.";

    static final String COLD_APPLICATION_ID = "engage-bench-cold";

    @Option(
            names = "--participants",
            defaultValue = "500",
            description = "Simulated participants (default ${DEFAULT-VALUE}).")
    int participants;

    @Option(
            names = "--days",
            defaultValue = "4",
            description = "Days of readings for the throughput input, 1 to 4"
                    + " (default ${DEFAULT-VALUE}); the paced phase uses the days after them.")
    int days;

    @Option(
            names = "--readings",
            defaultValue = "0",
            description =
                    "Cap on the throughput input (0: every reading of" + " those days; default ${DEFAULT-VALUE}).")
    long readings;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--warmup",
            defaultValue = "20000",
            description = "Readings each system gets (and finishes) before"
                    + " its clock starts (default ${DEFAULT-VALUE}; at most half the input).")
    int warmup;

    @Option(
            names = "--latency-rate",
            defaultValue = "0",
            description =
                    "Readings per second of the paced latency"
                            + " phase; 0 (default): half of (c)'s measured throughput. A fixed rate compares latency across versions.")
    double latencyRate;

    @Option(
            names = "--latency-seconds",
            defaultValue = "20",
            description = "Length of the paced latency phase" + " (default ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(
            names = "--scaling",
            split = ",",
            paramLabel = "N,N",
            description = "Also run the engage pipeline on each of"
                    + " these populations (participants) with the same number of readings, --readings, and report the throughput"
                    + " ratio of the largest to the smallest, e.g. --scaling 500,20000 --readings 200000.")
    List<Integer> scaling = new java.util.ArrayList<>();

    @Option(
            names = "--http-seconds",
            defaultValue = "10",
            description = "Timed length of phase (h), the gateway API alone under keep-alive clients, and of its"
                    + " /health/live floor; 0 skips it (default ${DEFAULT-VALUE}).")
    int httpSeconds;

    @Option(
            names = "--http-warmup",
            defaultValue = "10",
            description = "Seconds each load of phase (h) (the device syncs, then the floor) runs before its timed"
                    + " window, so both are measured with the code of both ends compiled (default ${DEFAULT-VALUE}).")
    int httpWarmup;

    @Option(
            names = "--http-clients",
            defaultValue = "process",
            description = "Where phase (h)'s clients run: process (a JVM of their own) or bench (threads of this JVM,"
                    + " beside the broker and the gateway) (default ${DEFAULT-VALUE}).")
    String httpClients;

    @Option(
            names = "--http-concurrency",
            defaultValue = "64",
            description = "Keep-alive clients of phase (h) (default ${DEFAULT-VALUE}).")
    int httpConcurrency;

    @Option(
            names = "--http-readings",
            defaultValue = "4",
            description = "Readings per device sync in phase (h) (default ${DEFAULT-VALUE}, a phone's sync).")
    int httpReadings;

    @Option(
            names = "--leaderboard-participants",
            defaultValue = "0",
            paramLabel = "N",
            description = "Phase (l): time the leaderboard queries over a programme of N participants (e.g. 100000);"
                    + " 0 skips it (default ${DEFAULT-VALUE}).")
    int leaderboardParticipants;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(
            names = {"-D", "--set"},
            paramLabel = "KEY=VALUE",
            description = "A configuration key for the applications"
                    + " under test, e.g. -D commit.interval.ms=200 (not bootstrap.servers or schema.registry.url: the bench"
                    + " always runs its own broker and registry).")
    Map<String, String> extra = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    private long started;
    private double loadAtStart;
    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        started = System.nanoTime();
        Instant now = Instant.now();
        loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path tmp = Files.createTempDirectory("engage-bench-");
        BenchReport report;
        try (Measurements m = new Measurements()) {
            report = run(m, tmp, now);
        } finally {
            deleteRecursively(tmp);
        }
        out.println();
        out.print(report.render());
        out.flush();
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            progress("report", "written to " + json);
        }
        if (!report.ok()) {
            err.println("engage bench: a check failed: some system did not process every reading exactly once");
            err.flush();
            return 1;
        }
        return 0;
    }

    private void validate() {
        if (participants < 1) {
            throw new UserException("--participants must be at least 1");
        }
        if (days < 1 || days > 4) {
            // readings older than about a week could meet readings.raw's 7-day retention during the run
            throw new UserException("--days must be between 1 and 4 (the paced phase uses the days after them, and"
                    + " readings.raw keeps 7 days)");
        }
        if (!httpClients.equals("process") && !httpClients.equals("bench")) {
            throw new UserException("--http-clients must be process or bench, was '" + httpClients + "'");
        }
        if (httpWarmup < 0) {
            throw new UserException("--http-warmup must not be negative");
        }
        if (leaderboardParticipants < 0) {
            throw new UserException("--leaderboard-participants must not be negative");
        }
        if (readings < 0 || warmup < 0 || latencySeconds < 1 || latencyRate < 0) {
            throw new UserException(
                    "--readings, --warmup and --latency-rate must not be negative, --latency-seconds must"
                            + " be at least 1");
        }
        if (!scaling.isEmpty()) {
            scaling = BenchScaling.populations(scaling);
            if (readings == 0) {
                throw new UserException("--scaling needs --readings: the number of readings every population gets");
            }
        }
        for (String key : List.of(EngageConfig.BOOTSTRAP_SERVERS, EngageConfig.SCHEMA_REGISTRY_URL)) {
            if (extra.containsKey(key)) {
                throw new UserException("the bench runs its own broker and registry: " + key + " cannot be set");
            }
        }
    }

    private BenchReport run(Measurements m, Path tmp, Instant now) {
        Map<String, String> flags = new LinkedHashMap<>(extra);
        flags.put(EngageConfig.DATA_DIR, tmp.resolve("data").toString());
        for (String port : List.of(
                EngageConfig.BROKER_PORT,
                EngageConfig.REGISTRY_PORT,
                EngageConfig.INGEST_PORT,
                EngageConfig.QUERY_PORT)) {
            flags.put(port, "0");
        }
        // the environment is not read: a bench run depends on its flags only
        EngageConfig base = EngageConfig.load(null, Map.of(), flags);
        progress("setup", "starting an embedded KRaft broker and the schema registry in " + tmp);
        try (LocalStack stack = LocalStack.start(base, false)) {
            EngageConfig config = stack.config();
            TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
            TopicSerdes serdes = new TopicSerdes(config.registryClientConfigs());
            String raw = catalogue.name(Topics.READINGS_RAW);

            SimulationSpec simulation = SimulationSpec.builder()
                    .seed(seed)
                    .participants(participants)
                    .teams(Math.max(1, participants / 8))
                    .programId("prog-bench-" + seed)
                    .endingAt(now, days)
                    .pace(Pace.asFastAsPossible())
                    .lateHorizon(config.lateHorizon())
                    .clockSkewTolerance(config.clockSkewTolerance())
                    .build();
            progress("setup", "generating and serialising the readings");
            BenchInput input = BenchInput.generate(
                    simulation,
                    days,
                    now,
                    readings == 0 ? Long.MAX_VALUE : readings,
                    raw,
                    serdes.valueSerde(Topics.READINGS_RAW).serializer());
            int n = input.throughput().size();
            int w = Math.min(warmup, n / 2);
            progress(
                    "setup",
                    String.format(
                            "%,d readings (%,d bytes) from %s to %s; %,d warm-up, %,d timed",
                            n, input.throughputBytes(), input.spec().startDate(), input.cutoff(), w, n - w));
            if (n < 2) {
                throw new UserException("no readings to measure: more --participants or --days");
            }
            List<BenchScaling.Prepared> populations = List.of();
            if (!scaling.isEmpty()) {
                progress(
                        "setup",
                        String.format(
                                "generating %,d readings for each of %s participants (scaling)", readings, scaling));
                populations = BenchScaling.prepare(
                        simulation,
                        scaling,
                        days,
                        now,
                        readings,
                        raw,
                        serdes.valueSerde(Topics.READINGS_RAW).serializer());
            }

            try (Admin admin = Admin.create(KafkaClientConfigs.admin(config));
                    Producer<byte[], byte[]> producer = new KafkaProducer<>(
                            KafkaClientConfigs.producer(config, "engage-bench"),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                Measurements.Context ctx = new Measurements.Context(
                        config, admin, producer, KafkaClientConfigs.consumer(config, null), PHASE_TIMEOUT);
                String prefix = config.topicPrefix();
                String scratchTopic = prefix + "bench.warmup";
                String baselineTopic = prefix + "bench.baseline";
                String countIn = prefix + "bench.count.input";
                String countOut = prefix + "bench.count.output";
                String coldCountIn = prefix + "bench.count.cold.input";
                String coldCountOut = prefix + "bench.count.cold.output";
                createTopics(admin, List.of(scratchTopic, baselineTopic, countIn, countOut, coldCountIn, coldCountOut));

                m.phase("a");
                Throughput a = m.baseline(
                        ctx, scratchTopic, baselineTopic, input.throughput(), w, line -> progress("a", line));
                double consumeOnly = m.consumeOnly(ctx, baselineTopic, n);
                progress("a", String.format("%,.0f readings/s; consumer alone %,.0f/s", a.perSecond(), consumeOnly));

                m.phase("b");
                progress("b", "cold pass: the whole input, untimed, on topics and an application id of its own");
                Throughput coldB = m.count(
                        ctx,
                        Measurements.COUNT_COLD_APPLICATION_ID,
                        coldCountIn,
                        coldCountOut,
                        input.throughput(),
                        w,
                        line -> progress("b", line));
                progress("b", String.format("cold pass: %,.0f readings/s; now the timed pass", coldB.perSecond()));
                Throughput b = m.count(
                        ctx,
                        Measurements.COUNT_APPLICATION_ID,
                        countIn,
                        countOut,
                        input.throughput(),
                        w,
                        line -> progress("b", line));
                progress("b", String.format("%,.0f readings/s", b.perSecond()));

                m.phase("c");
                progress(
                        "c",
                        "cold pass: the whole pipeline over the whole input, untimed, on fresh topics (" + COLD_PREFIX
                                + "*) and application ids of its own");
                Throughput coldC = coldPipeline(stack, m, ctx, input, w, line -> progress("c", line));
                progress("c", String.format("cold pass: %,.0f readings/s; now the timed pass", coldC.perSecond()));

                progress(
                        "c",
                        "starting the ingest process (normaliser and admin API), publishing the programme, teams,"
                                + " participants and devices, then starting the streams process (engagement)");
                String normalizerId = NormalizationTopology.applicationId(config);
                String engagementId = EngagementTopology.applicationId(config);
                Throughput c;
                long normalized;
                long rejected;
                Latency latency;
                long participantDays;
                long changelogBytes;
                try (BenchPipeline pipeline = BenchPipeline.start(
                        config, stack.tokens(), input.population(), m, ctx, line -> progress("c", line))) {
                    c = m.pipeline(
                            ctx,
                            raw,
                            normalizerId,
                            catalogue.name(Topics.READINGS_NORMALIZED),
                            engagementId,
                            input.throughput(),
                            w,
                            line -> progress("c", line));
                    progress("c", String.format("%,.0f readings/s", c.perSecond()));
                    normalized = m.records(ctx, catalogue.name(Topics.READINGS_NORMALIZED));
                    rejected = m.records(ctx, catalogue.name(Topics.READINGS_REJECTED));

                    m.phase("latency");
                    double rate = latencyRate > 0 ? latencyRate : c.perSecond() / 2;
                    int wanted = (int) Math.min(Integer.MAX_VALUE - 8, Math.ceil(rate * latencySeconds));
                    progress(
                            "latency",
                            String.format(
                                    "generating %,d fresh readings for %d s at %,.0f/s", wanted, latencySeconds, rate));
                    List<BenchRecord> paced = input.paced(wanted);
                    if (paced.size() < wanted) {
                        progress(
                                "latency",
                                String.format(
                                        "only %,d fresh readings exist up to now: the phase is shorter", paced.size()));
                    }
                    latency = m.latency(
                            ctx,
                            raw,
                            normalizerId,
                            catalogue.name(Topics.READINGS_NORMALIZED),
                            engagementId,
                            catalogue.name(Topics.ACTIVITY_DAILY),
                            serdes.valueSerde(Topics.ACTIVITY_DAILY).deserializer(),
                            paced,
                            rate,
                            n,
                            line -> progress("latency", line));
                    progress(
                            "latency",
                            String.format(
                                    "p50 %.1f ms, p99 %.1f ms (%,d matched)",
                                    latency.fromAck().p50(), latency.fromAck().p99(), latency.matched()));

                    m.phase("state");
                    participantDays = m.distinctKeys(ctx, catalogue.name(Topics.ACTIVITY_DAILY));
                    changelogBytes = m.changelogBytes(ctx, engagementId + "-");
                    progress(
                            "state",
                            "stopping the ingest and streams processes (the engagement stores flush on close)");
                }
                long stateBytes =
                        m.directoryBytes(config.dataDir().resolve("streams").resolve(engagementId));

                m.phase("stages");
                progress("stages", "each application alone on fresh topics (" + STAGES_PREFIX + "*), same input");
                EngageConfig stageConfig = stack.namespace(STAGES_PREFIX, STAGES_APPLICATION_ID);
                TopicCatalogue stageTopics = new TopicCatalogue(stageConfig.topicPrefix());
                Map<String, String> reference = new LinkedHashMap<>();
                for (var t : List.of(Topics.PROGRAMS, Topics.TEAMS, Topics.PARTICIPANTS, Topics.DEVICES)) {
                    reference.put(catalogue.name(t), stageTopics.name(t));
                }
                BenchReport.Stages stages =
                        m.stages(ctx, stageConfig, reference, input.throughput(), w, line -> progress("stages", line));

                BenchReport.Http http = null;
                if (httpSeconds > 0) {
                    m.phase("h");
                    http = gatewayAlone(stack, line -> progress("h", line));
                }

                BenchReport.Leaderboard leaderboard = null;
                if (leaderboardParticipants > 0) {
                    m.phase("l");
                    leaderboard =
                            new BenchLeaderboard(stack, line -> progress("l", line)).run(leaderboardParticipants, seed);
                }

                BenchReport.Scaling scaled = null;
                if (!populations.isEmpty()) {
                    m.phase("scaling");
                    scaled = new BenchScaling(stack, m, ctx, line -> progress("scaling", line))
                            .run(populations, readings, warmup);
                    progress(
                            "scaling",
                            String.format("largest over smallest population: %.3f", scaled.largestOverSmallest()));
                }
                producer.close(Duration.ofSeconds(10));
                progress("done", "stopping the broker and the registry");
                stack.close();

                BenchReport.Checks checks = new BenchReport.Checks(
                        n,
                        m.baselineConsumed(),
                        m.countSum(),
                        normalized,
                        rejected,
                        input.expectedValid(),
                        stages.normalized(),
                        stages.rejected());
                return new BenchReport(
                        OffsetDateTime.ofInstant(now.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC)
                                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                        new double[] {
                            loadAtStart,
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                        },
                        new BenchReport.Parameters(
                                participants,
                                days,
                                seed,
                                readings,
                                w,
                                latencySeconds,
                                input.spec().startDate().toString(),
                                input.cutoff().toString(),
                                List.copyOf(scaling)),
                        new BenchReport.Input(
                                n,
                                input.throughputBytes(),
                                (double) input.throughputBytes() / n,
                                input.expectedValid()),
                        a,
                        m.baselinePasses(),
                        consumeOnly,
                        b,
                        c,
                        new BenchReport.Cold(coldB, coldC),
                        stages,
                        BenchReport.Ratios.of(a, b, c, stages),
                        latency,
                        new BenchReport.State(participantDays, stateBytes, changelogBytes),
                        scaled,
                        http,
                        leaderboard,
                        m.heap(),
                        checks);
            }
        }
    }

    /**
     * Phase (h): the ingest process's HTTP API alone (no normaliser, no engagement application) on fresh topics
     * ({@value #HTTP_PREFIX}*), under keep-alive clients posting device syncs, then the same clients on
     * {@code /health/live}.
     */
    /**
     * (c)'s cold pass: the pipeline as in (c), on the namespace {@value #COLD_PREFIX} (fresh topics and application
     * ids, the same population put through the admin API), over the whole input with the same warm-up; then both
     * processes stop. It compiles the pipeline's code before (c)'s clock, as (a)'s untimed passes do for the clients
     * and the broker (docs/benchmarks.md, "What is measured").
     */
    private static Throughput coldPipeline(
            LocalStack stack,
            Measurements m,
            Measurements.Context ctx,
            BenchInput input,
            int warmup,
            java.util.function.Consumer<String> progress) {
        EngageConfig config = stack.namespace(COLD_PREFIX, COLD_APPLICATION_ID);
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        try (BenchPipeline pipeline =
                BenchPipeline.start(config, stack.tokens(), input.population(), m, ctx, progress)) {
            return m.pipeline(
                    ctx,
                    topics.name(Topics.READINGS_RAW),
                    pipeline.normalizerId(),
                    topics.name(Topics.READINGS_NORMALIZED),
                    pipeline.engagementId(),
                    input.throughput(),
                    warmup,
                    progress);
        }
    }

    private BenchReport.Http gatewayAlone(LocalStack stack, java.util.function.Consumer<String> progress) {
        EngageConfig config = stack.namespace(HTTP_PREFIX, HTTP_APPLICATION_ID);
        String token =
                stack.tokens().first(io.engage.config.ApiTokens.Role.gateway).orElseThrow();
        try (IngestProcess gateway =
                IngestProcess.startGatewayOnly(config, stack.tokens(), java.time.Clock.systemUTC())) {
            progress.accept("gateway API alone on port " + gateway.port() + " (topics " + HTTP_PREFIX + "*)");
            HttpClientsProcess.Results results;
            if (httpClients.equals("bench")) {
                HttpLoad load = new HttpLoad(
                        "http://localhost:" + gateway.port(),
                        token,
                        httpConcurrency,
                        Duration.ofSeconds(httpWarmup),
                        Duration.ofSeconds(httpSeconds),
                        progress);
                HttpLoad.Result syncs = load.syncs(1_000, httpReadings);
                progress.accept(commits(gateway.metrics()));
                results = new HttpClientsProcess.Results(syncs, load.floor());
            } else {
                // a JVM of their own: the gateway's JVM collects and compiles only its own work
                results = HttpClientsProcess.run(
                        "http://localhost:" + gateway.port(),
                        token,
                        httpConcurrency,
                        Duration.ofSeconds(httpWarmup),
                        Duration.ofSeconds(httpSeconds),
                        1_000,
                        httpReadings,
                        progress,
                        () -> progress.accept(commits(gateway.metrics())));
            }
            BenchReport.Http http =
                    new BenchReport.Http(httpConcurrency, httpReadings, results.syncs(), results.floor());
            progress.accept(String.format("h/floor %.3f", http.syncsOverFloor()));
            return http;
        }
    }

    /**
     * The gateway's group publishes so far (its engage_ingest_commit metrics: one flush of a publisher thread's
     * producer, docs/operations.md), as one progress line.
     */
    private static String commits(io.micrometer.core.instrument.MeterRegistry metrics) {
        io.micrometer.core.instrument.Timer time =
                metrics.find("engage.ingest.commit").timer();
        io.micrometer.core.instrument.DistributionSummary size =
                metrics.find("engage.ingest.commit.requests").summary();
        if (time == null || size == null || time.count() == 0) {
            return "group publishes: none measured";
        }
        double[] t = {Double.NaN, Double.NaN};
        for (var v : time.takeSnapshot().percentileValues()) {
            t[v.percentile() == 0.5 ? 0 : 1] = v.value(TimeUnit.MILLISECONDS);
        }
        double[] w = {Double.NaN, Double.NaN};
        io.micrometer.core.instrument.Timer wait =
                metrics.find("engage.ingest.queue.wait").timer();
        if (wait != null) {
            for (var v : wait.takeSnapshot().percentileValues()) {
                w[v.percentile() == 0.5 ? 0 : 1] = v.value(TimeUnit.MILLISECONDS);
            }
        }
        return String.format(
                "group publishes: %,d flushes, %.1f requests each on average; one group p50 %.1f ms, p99 %.1f ms;"
                        + " wait for a publisher p50 %.1f ms, p99 %.1f ms",
                time.count(), size.mean(), t[0], t[1], w[0], w[1]);
    }

    /** Topic prefix and application id of phase (h). */
    static final String HTTP_PREFIX = "bench.http.";

    static final String HTTP_APPLICATION_ID = "engage-bench-http";

    private static void createTopics(Admin admin, List<String> names) {
        try {
            admin.createTopics(names.stream()
                            .map(t -> new NewTopic(t, Topics.PARTICIPANT_PARTITIONS, (short) 1)
                                    .configs(Map.of("retention.ms", "-1")))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new BenchException("cannot create the bench topics " + names + ": " + e, e);
        }
    }

    private void progress(String phase, String line) {
        err.printf("bench %6.1fs [%s] %s%n", (System.nanoTime() - started) / 1e9, phase, line);
        err.flush();
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file a closing thread still wrote: the temporary directory stays, harmless
                }
            });
        } catch (IOException e) {
            System.err.println("engage bench: could not delete " + root + ": " + e.getMessage());
        }
    }
}
