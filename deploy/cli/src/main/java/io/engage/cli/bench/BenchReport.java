package io.engage.cli.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one {@code ./engage bench} run measured, as printed and as written with {@code --json}. Ratios are
 * computed from the throughputs of the same run.
 *
 * @param date       when the run started (RFC 3339)
 * @param cores      processors available to the JVM
 * @param jvm        JVM name and version
 * @param os         operating system and architecture
 * @param loadAverage the system load average (1 minute) when the run started and when it ended: other processes
 *                    competing for the cores make every number lower
 * @param parameters what was asked for
 * @param input      the generated readings
 * @param baseline   (a) Kafka produce and {@code read_committed} consume of the same bytes: the median pass
 * @param baselinePasses (a) readings per second of every timed pass
 * @param baselineConsumeOnlyPerSecond (a) reading the whole input again, nothing else running
 * @param count      (b) trivial Kafka Streams exactly-once count
 * @param pipeline   (c) normaliser and engagement topologies, exactly-once
 * @param cold       the untimed first passes of (b) and (c) over the whole input, on topics of their own, before the
 *                   timed ones: what they reach while their code is still being compiled
 * @param stages     each engage application alone, on fresh topics, over the same input
 * @param ratios     (c) and (b) against each other and against (a); each stage alone against (b)
 * @param latency    paced phase (at half of (c) unless --latency-rate says otherwise)
 * @param state      engagement state per participant-day
 * @param scaling    (c) on populations of different sizes with the same number of readings; null unless asked for
 * @param http       (h): the gateway API alone under keep-alive clients, against its HTTP floor; null when skipped
 * @param leaderboard (l): leaderboard queries over a large programme, against the HTTP floor; null when skipped
 * @param heap       heap use of the bench JVM
 * @param checks     counts that must match the input
 */
public record BenchReport(
        String date,
        int cores,
        String jvm,
        String os,
        double[] loadAverage,
        Parameters parameters,
        Input input,
        Throughput baseline,
        double[] baselinePasses,
        double baselineConsumeOnlyPerSecond,
        Throughput count,
        Throughput pipeline,
        Cold cold,
        Stages stages,
        Ratios ratios,
        Latency latency,
        State state,
        Scaling scaling,
        Http http,
        Leaderboard leaderboard,
        Heap heap,
        Checks checks) {

    /**
     * Phase (l): the query API of one streams instance over a programme of {@code participants} participants, each
     * kind of query timed on one keep-alive client ({@code timed}: name to latency percentiles, the last the
     * {@code /health/live} floor).
     *
     * @param matches the leaderboards listed exactly the top entries computed from the readings
     */
    public record Leaderboard(
            int participants, int teams, int limit, Map<String, Percentiles> timed, boolean matches) {}

    /**
     * Phase (h): {@code concurrency} keep-alive clients posting device syncs of {@code readingsPerRequest} readings to
     * the gateway API alone (normaliser and engagement not running), then the same clients on {@code GET
     * /health/live}, the floor of what the HTTP server answers at all.
     */
    public record Http(int concurrency, int readingsPerRequest, HttpLoad.Result syncs, HttpLoad.Result floor) {
        /** Device syncs per second over health checks per second (the project's target: at least 0.6). */
        @JsonProperty
        public double syncsOverFloor() {
            return floor.perSecond() == 0 ? 0 : syncs.perSecond() / floor.perSecond();
        }

        /** Readings per second the syncs carried. */
        @JsonProperty
        public double readingsPerSecond() {
            return syncs.perSecond() * readingsPerRequest;
        }

        /** Every answer was the expected one (202 with every reading accepted; 200). */
        @JsonProperty
        public boolean ok() {
            return syncs.unexpected() == 0 && floor.unexpected() == 0;
        }
    }

    /**
     * The run's parameters; {@code firstDate} and {@code cutoff} place the generated data in time;
     * {@code scalingParticipants} the populations of the scaling phase (empty: not run).
     */
    public record Parameters(
            int participants,
            int days,
            long seed,
            long readingsCap,
            int warmup,
            int latencySeconds,
            String firstDate,
            String cutoff,
            List<Integer> scalingParticipants) {}

    /** The throughput input: readings, their key and value bytes, and what the simulator's oracle expects. */
    public record Input(long readings, long bytes, double meanRecordBytes, long expectedNormalized) {}

    /**
     * Throughput ratios within this run.
     *
     * @param normalizerOverCount the normaliser alone over (b)
     * @param engagementOverCount the engagement application alone over (b)
     */
    public record Ratios(
            double pipelineOverCount,
            double pipelineOverBaseline,
            double countOverBaseline,
            double normalizerOverCount,
            double engagementOverCount) {
        public static Ratios of(Throughput a, Throughput b, Throughput c, Stages stages) {
            return new Ratios(
                    ratio(c, b),
                    ratio(c, a),
                    ratio(b, a),
                    ratio(stages.normalizer(), b),
                    ratio(stages.engagement(), b));
        }

        static double ratio(Throughput x, Throughput y) {
            return y.perSecond() > 0 ? x.perSecond() / y.perSecond() : 0;
        }
    }

    /**
     * Each engage application alone, on fresh topics and application ids, over the same input bytes as (c).
     *
     * @param normalizer             the normaliser over the timed readings on {@code readings.raw}, the engagement
     *                               application not running: first send until its committed offsets reach the end
     * @param engagement             the engagement application over the backlog of the timed readings' normalised
     *                               records, the normaliser stopped: from RUNNING until its committed offsets reach
     *                               the end of {@code readings.normalized} and of its repartition topic; records are
     *                               normalised readings, and there is no producer (its produce figures are 0)
     * @param engagementStartSeconds the engagement application's start until RUNNING (outside its clock)
     * @param referenceRecords       reference records copied from the run's topics
     * @param normalized             records the normaliser wrote to {@code readings.normalized} (warm-up and timed)
     * @param rejected               records it wrote to {@code readings.rejected}
     */
    public record Stages(
            Throughput normalizer,
            Throughput engagement,
            double engagementStartSeconds,
            long referenceRecords,
            long normalized,
            long rejected) {}

    /**
     * The engage pipeline (c) on populations of different sizes, each with the same number of readings (the first
     * ones in order of reception), each on fresh topics and application ids.
     *
     * @param readings    readings per population (warm-up included)
     * @param populations smallest first
     */
    public record Scaling(long readings, List<Population> populations) {
        /** Throughput with the largest population over that with the smallest. */
        @JsonProperty
        public double largestOverSmallest() {
            return populations.size() < 2
                    ? 0
                    : Ratios.ratio(
                            populations.get(populations.size() - 1).throughput(),
                            populations.get(0).throughput());
        }

        /** Every population's pipeline normalised or dead-lettered every reading exactly once. */
        @JsonProperty
        public boolean ok() {
            return populations.stream().allMatch(Population::ok);
        }

        /**
         * One population's run.
         *
         * @param participants             simulated participants
         * @param participantsWithReadings distinct participants among the readings
         * @param lastReceived             reception instant of the last reading: how much simulated time they span
         * @param referenceRecords         records put through the admin API (programme, teams, participants, devices)
         * @param publishSeconds           first admin request until the last answer
         * @param readySeconds             last admin answer until both applications saw the reference data
         * @param throughput               (c) over the timed part
         * @param normalized               records on {@code readings.normalized} after the run
         * @param rejected                 records on {@code readings.rejected} after the run
         * @param expectedNormalized       what the simulator's oracle expects on {@code readings.normalized}
         */
        public record Population(
                int participants,
                long readings,
                long participantsWithReadings,
                String lastReceived,
                int referenceRecords,
                double publishSeconds,
                double readySeconds,
                Throughput throughput,
                long normalized,
                long rejected,
                long expectedNormalized) {
            @JsonProperty
            public boolean ok() {
                return normalized + rejected == readings;
            }
        }
    }

    /**
     * The engagement application's state after the run.
     *
     * @param participantDays distinct keys (participant, local date) on {@code activity.daily}
     * @param stateDirBytes   its RocksDB stores on disk after a clean close (LOG files excluded)
     * @param changelogBytes  its changelog topics on the broker's disk
     */
    public record State(long participantDays, long stateDirBytes, long changelogBytes) {
        @JsonProperty
        public double stateBytesPerParticipantDay() {
            return participantDays > 0 ? (double) stateDirBytes / participantDays : 0;
        }

        @JsonProperty
        public double changelogBytesPerParticipantDay() {
            return participantDays > 0 ? (double) changelogBytes / participantDays : 0;
        }
    }

    /**
     * Heap of the bench JVM (broker, registry, applications and clients together).
     *
     * @param peakBytes      peak sampled used heap over the run
     * @param peakByPhase    peak sampled used heap per phase
     * @param poolPeaksBytes sum of the heap pools' own peaks (an upper bound: the pools peak at different moments)
     * @param maxBytes       the heap limit
     */
    public record Heap(long peakBytes, Map<String, Long> peakByPhase, long poolPeaksBytes, long maxBytes) {}

    /**
     * Counts that must equal the input.
     *
     * @param baselineConsumed   records the baseline consumer read
     * @param countSum           sum of the final per-device counts of (b)
     * @param normalized         records on {@code readings.normalized} after (c)
     * @param rejected           records on {@code readings.rejected} after (c)
     * @param expectedNormalized what the simulator's oracle expects on {@code readings.normalized}
     * @param stageNormalized    records on {@code readings.normalized} after the normaliser alone
     * @param stageRejected      records on {@code readings.rejected} after the normaliser alone
     */
    public record Checks(
            long input,
            long baselineConsumed,
            long countSum,
            long normalized,
            long rejected,
            long expectedNormalized,
            long stageNormalized,
            long stageRejected) {
        /** Every system processed every reading exactly once. */
        @JsonProperty
        public boolean ok() {
            return baselineConsumed == input
                    && countSum == input
                    && normalized + rejected == input
                    && stageNormalized + stageRejected == input;
        }

        /** The pipeline normalised exactly what the oracle expects (and dead-lettered the rest). */
        @JsonProperty
        public boolean oracleMatches() {
            return normalized == expectedNormalized;
        }
    }

    /** Every check passed: those of {@link Checks} and, when it ran, those of the scaling phase. */
    @JsonProperty
    public boolean ok() {
        return checks.ok()
                && (scaling == null || scaling.ok())
                && (http == null || http.ok())
                && (leaderboard == null || leaderboard.matches());
    }

    /**
     * The cold passes: (b) and (c) each run once over the whole input, untimed, on topics and application ids of
     * their own, right before their timed pass, so that the timed pass runs compiled code.
     */
    public record Cold(Throughput count, Throughput pipeline) {
        /** (c) over (b), both cold. */
        @JsonProperty
        public double pipelineOverCount() {
            return Ratios.ratio(pipeline, count);
        }
    }

    /** The human-readable report. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "engage bench, %s, %d cores, %s, %s, max heap %s, load average %.1f -> %.1f%n",
                date,
                cores,
                jvm,
                os,
                bytes(heap.maxBytes()),
                loadAverage[0],
                loadAverage[1]));
        b.append(String.format(
                Locale.ROOT,
                "input: %,d readings (%,d participants, %d days from %s, seed %d): %,d warm-up"
                        + " + %,d timed; %.0f bytes per record (key + value)%n",
                input.readings(),
                parameters.participants(),
                parameters.days(),
                parameters.firstDate(),
                parameters.seed(),
                baseline.warmup(),
                baseline.records(),
                input.meanRecordBytes()));
        b.append(String.format(
                Locale.ROOT,
                "%n%-58s %12s %8s %9s%n",
                "throughput (first send until all visible)",
                "readings/s",
                "vs (a)",
                "seconds"));
        row(b, "(a) Kafka produce + read_committed consume, median", baseline);
        row(b, "(b) Kafka Streams exactly-once count (RocksDB)", count);
        row(b, "(c) engage pipeline exactly-once (normaliser+engagement)", pipeline);
        StringBuilder passes = new StringBuilder();
        for (double p : baselinePasses) {
            passes.append(passes.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", p));
        }
        b.append(String.format(Locale.ROOT, "(a) passes: %s readings/s%n", passes));
        b.append(String.format(
                Locale.ROOT,
                "ratios (this run): c/b %.3f   c/a %.4f   b/a %.3f%n",
                ratios.pipelineOverCount(),
                ratios.pipelineOverBaseline(),
                ratios.countOverBaseline()));
        b.append(String.format(
                Locale.ROOT,
                "producer alone: (a) %,.0f/s  (b) %,.0f/s  (c) %,.0f/s;  (a) consumer alone %,.0f/s%n",
                baseline.producePerSecond(),
                count.producePerSecond(),
                pipeline.producePerSecond(),
                baselineConsumeOnlyPerSecond));
        b.append(String.format(
                Locale.ROOT,
                "cold passes (untimed, before the timed ones, own topics): (b) %,.0f/s  (c) %,.0f/s  c/b %.3f%n",
                cold.count().perSecond(),
                cold.pipeline().perSecond(),
                cold.pipelineOverCount()));
        b.append(String.format(
                Locale.ROOT,
                "%n%-58s %12s %8s %9s%n",
                "each application alone (fresh topics, same input)",
                "readings/s",
                "vs (a)",
                "seconds"));
        row(b, "normaliser alone (readings.raw, engagement not running)", stages.normalizer());
        row(b, "engagement alone (backlog of readings.normalized)", stages.engagement());
        b.append(String.format(
                Locale.ROOT,
                "stage ratios (this run): normaliser alone/(b) %.3f   engagement alone/(b) %.3f"
                        + "   (target: each >= 0.6)%n",
                ratios.normalizerOverCount(),
                ratios.engagementOverCount()));
        b.append(String.format(
                Locale.ROOT,
                "engagement alone: %,d normalised readings timed after %,d of warm-up; %.1f s"
                        + " from its start to RUNNING (outside the clock)%n",
                stages.engagement().records(),
                stages.engagement().warmup(),
                stages.engagementStartSeconds()));
        b.append(String.format(
                Locale.ROOT,
                "%nlatency, paced at %,.0f readings/s (%s), %.1f s: %,d sent, %,d to be counted,"
                        + " %,d matched to their activity.daily record%n",
                latency.actualRate(),
                String.format(Locale.ROOT, "%.2f of (c)", latency.actualRate() / Math.max(1e-9, pipeline.perSecond())),
                latency.seconds(),
                latency.sent(),
                latency.expectedValid(),
                latency.matched()));
        lat(b, "ack -> activity.daily visible (read_committed)", latency.fromAck());
        lat(b, "send -> activity.daily visible", latency.fromSend());
        lat(b, "send -> ack (readings.raw)", latency.ack());
        b.append(String.format(
                Locale.ROOT,
                "%nstate: %,d participant-days; RocksDB %s = %,.0f bytes per participant-day;"
                        + " changelogs %s = %,.0f bytes per participant-day%n",
                state.participantDays(),
                bytes(state.stateDirBytes()),
                state.stateBytesPerParticipantDay(),
                bytes(state.changelogBytes()),
                state.changelogBytesPerParticipantDay()));
        if (scaling != null) {
            renderScaling(b);
        }
        if (http != null) {
            renderHttp(b);
        }
        if (leaderboard != null) {
            renderLeaderboard(b);
        }
        StringBuilder phases = new StringBuilder();
        heap.peakByPhase()
                .forEach((k, v) -> phases.append(phases.length() == 0 ? "" : ", ")
                        .append(k)
                        .append(' ')
                        .append(bytes(v)));
        b.append(String.format(
                Locale.ROOT,
                "heap: peak used %s (%s); heap pools' peaks sum to %s%n",
                bytes(heap.peakBytes()),
                phases,
                bytes(heap.poolPeaksBytes())));
        b.append(String.format(
                Locale.ROOT,
                "checks: (a) read %,d of %,d; (b) counts sum to %,d; (c) %,d normalised + %,d"
                        + " dead-lettered = %,d (oracle expects %,d normalised): %s%n",
                checks.baselineConsumed(),
                checks.input(),
                checks.countSum(),
                checks.normalized(),
                checks.rejected(),
                checks.normalized() + checks.rejected(),
                checks.expectedNormalized(),
                checks.ok() ? (checks.oracleMatches() ? "OK" : "OK (oracle differs)") : "FAILED"));
        b.append(String.format(
                Locale.ROOT,
                "        normaliser alone %,d normalised + %,d dead-lettered = %,d%s%n",
                checks.stageNormalized(),
                checks.stageRejected(),
                checks.stageNormalized() + checks.stageRejected(),
                checks.stageNormalized() == checks.normalized() ? " (as in (c))" : " (differs from (c))"));
        if (scaling != null) {
            for (Scaling.Population p : scaling.populations()) {
                b.append(String.format(
                        Locale.ROOT,
                        "        scaling, %,d participants: %,d normalised + %,d dead-lettered = %,d"
                                + " of %,d (oracle expects %,d normalised): %s%n",
                        p.participants(),
                        p.normalized(),
                        p.rejected(),
                        p.normalized() + p.rejected(),
                        p.readings(),
                        p.expectedNormalized(),
                        p.ok() ? (p.normalized() == p.expectedNormalized() ? "OK" : "OK (oracle differs)") : "FAILED"));
            }
        }
        return b.toString();
    }

    private void renderLeaderboard(StringBuilder b) {
        b.append(String.format(
                Locale.ROOT,
                "%nleaderboards (l): %,d participants in %,d teams, top %d, one keep-alive client      p50       p99"
                        + "       max%n",
                leaderboard.participants(),
                leaderboard.teams(),
                leaderboard.limit()));
        leaderboard
                .timed()
                .forEach((name, p) -> b.append(String.format(
                        Locale.ROOT, "%-56s  %6.1f ms  %6.1f ms  %6.1f ms%n", name, p.p50(), p.p99(), p.max())));
        b.append(String.format(
                Locale.ROOT,
                "entries %s the top computed from the readings (target: p99 of every leaderboard < 50 ms)%n",
                leaderboard.matches() ? "equal" : "DIFFER FROM"));
    }

    private void renderHttp(StringBuilder b) {
        b.append(String.format(
                Locale.ROOT,
                "%ngateway API alone (h): %d keep-alive clients, %.0f s timed   requests/s  readings/s       p50       p99"
                        + "  unexpected%n",
                http.concurrency(),
                http.syncs().seconds()));
        b.append(String.format(
                Locale.ROOT,
                "device syncs of %d readings (202: Kafka has them)          %,10.0f  %,10.0f  %6.1f ms  %6.1f ms  %,10d%n",
                http.readingsPerRequest(),
                http.syncs().perSecond(),
                http.readingsPerSecond(),
                http.syncs().p50Ms(),
                http.syncs().p99Ms(),
                http.syncs().unexpected()));
        b.append(String.format(
                Locale.ROOT,
                "GET /health/live (the HTTP floor)                          %,10.0f  %10s  %6.1f ms  %6.1f ms  %,10d%n",
                http.floor().perSecond(),
                "-",
                http.floor().p50Ms(),
                http.floor().p99Ms(),
                http.floor().unexpected()));
        b.append(String.format(
                Locale.ROOT,
                "ratio (this run): h/floor %.3f (target >= 0.6); p99 of the 202 %.1f ms (target <= 150 ms)%n",
                http.syncsOverFloor(),
                http.syncs().p99Ms()));
    }

    private void renderScaling(StringBuilder b) {
        b.append(String.format(
                Locale.ROOT,
                "%npopulation scaling: (c) on %,d readings per population (first in order of"
                        + " reception, %,d warm-up), fresh topics each%n",
                scaling.readings(),
                scaling.populations().isEmpty()
                        ? 0
                        : scaling.populations().get(0).throughput().warmup()));
        b.append(String.format(
                Locale.ROOT,
                "%-13s %13s %-20s %12s %9s %9s %9s%n",
                "participants",
                "with readings",
                "last received",
                "readings/s",
                "seconds",
                "publish s",
                "ready s"));
        for (Scaling.Population p : scaling.populations()) {
            b.append(String.format(
                    Locale.ROOT,
                    "%,13d %,13d %-20s %,12.0f %9.2f %9.1f %9.1f%n",
                    p.participants(),
                    p.participantsWithReadings(),
                    p.lastReceived(),
                    p.throughput().perSecond(),
                    p.throughput().seconds(),
                    p.publishSeconds(),
                    p.readySeconds()));
        }
        if (scaling.populations().size() >= 2) {
            b.append(String.format(
                    Locale.ROOT,
                    "scaling ratio (this run): %,d / %,d participants %.3f   (target >= 0.8)%n",
                    scaling.populations().get(scaling.populations().size() - 1).participants(),
                    scaling.populations().get(0).participants(),
                    scaling.largestOverSmallest()));
        }
    }

    private void row(StringBuilder b, String name, Throughput t) {
        b.append(String.format(
                Locale.ROOT,
                "%-58s %,12.0f %8.3f %9.2f%n",
                name,
                t.perSecond(),
                baseline.perSecond() > 0 ? t.perSecond() / baseline.perSecond() : 0,
                t.seconds()));
    }

    private static void lat(StringBuilder b, String name, Percentiles p) {
        b.append(String.format(
                Locale.ROOT,
                "  %-48s p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n",
                name,
                p.p50(),
                p.p90(),
                p.p99(),
                p.max()));
    }

    static String bytes(long n) {
        if (n < 0) {
            return "n/a";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
