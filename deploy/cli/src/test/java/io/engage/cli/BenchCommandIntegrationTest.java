package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./engage bench} through the CLI with tiny parameters: the report is complete and self-consistent. No
 * performance target is asserted (the numbers depend on the machine and on what else runs on it).
 */
@Tag("integration")
@Tag("bench")
class BenchCommandIntegrationTest {

    @Test
    void aTinyBenchReportsSaneSelfConsistentNumbers(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("bench.json");
        CliRun run = CliRun.of(
                "bench",
                "--participants",
                "8",
                "--days",
                "1",
                "--warmup",
                "200",
                "--latency-seconds",
                "2",
                "--readings",
                "600",
                "--scaling",
                "8,16",
                "--http-seconds",
                "2",
                "--http-warmup",
                "1",
                "--http-concurrency",
                "8",
                "--json",
                json.toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out())
                .contains(
                        "(a) Kafka produce",
                        "(b) Kafka Streams",
                        "(c) engage pipeline",
                        "ratios",
                        "latency",
                        "participant-day",
                        "heap",
                        "checks",
                        "normaliser alone",
                        "engagement alone",
                        "stage ratios",
                        "population scaling",
                        "scaling ratio",
                        "gateway API alone (h): 8 keep-alive clients, 2 s timed",
                        "h/floor")
                .contains(": OK")
                .doesNotContain("FAILED");
        assertThat(run.err()).contains("[a]", "[b]", "[c]", "[latency]", "[stages]", "[h]", "[scaling]");

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        OffsetDateTime.parse(r.get("date").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        assertThat(r.get("cores").asInt()).isPositive();

        long readings = r.at("/input/readings").asLong();
        long warmup = r.at("/parameters/warmup").asLong();
        assertThat(readings).isPositive();
        assertThat(warmup).isEqualTo(200);
        double a = throughput(r, "baseline", readings - warmup);
        double b = throughput(r, "count", readings - warmup);
        double c = throughput(r, "pipeline", readings - warmup);
        assertThat(r.get("baselineConsumeOnlyPerSecond").asDouble()).isPositive();
        assertThat(r.at("/ratios/pipelineOverCount").asDouble()).isCloseTo(c / b, within(1e-9));
        assertThat(r.at("/ratios/pipelineOverBaseline").asDouble()).isCloseTo(c / a, within(1e-9));
        assertThat(r.at("/ratios/countOverBaseline").asDouble()).isCloseTo(b / a, within(1e-9));

        // each application alone: the normaliser over the timed readings, the engagement app over their normalised
        // records
        JsonNode stages = r.get("stages");
        double n = throughput(stages, "normalizer", readings - warmup);
        long normalisedTimed = stages.at("/engagement/records").asLong();
        double e = throughput(stages, "engagement", normalisedTimed, false);
        assertThat(normalisedTimed + stages.at("/engagement/warmup").asLong())
                .isEqualTo(stages.get("normalized").asLong());
        assertThat(r.at("/ratios/normalizerOverCount").asDouble()).isCloseTo(n / b, within(1e-9));
        assertThat(r.at("/ratios/engagementOverCount").asDouble()).isCloseTo(e / b, within(1e-9));
        assertThat(r.at("/checks/stageNormalized").asLong())
                .isEqualTo(r.at("/checks/normalized").asLong());
        assertThat(r.at("/checks/stageNormalized").asLong()
                        + r.at("/checks/stageRejected").asLong())
                .isEqualTo(readings);

        // (h): device syncs all accepted with a 202, against the floor of the same clients on /health/live
        JsonNode http = r.get("http");
        assertThat(http.at("/syncs/requests").asLong()).isPositive();
        assertThat(http.at("/syncs/unexpected").asLong()).isZero();
        assertThat(http.at("/floor/requests").asLong()).isPositive();
        assertThat(http.get("syncsOverFloor").asDouble())
                .isCloseTo(
                        http.at("/syncs/perSecond").asDouble()
                                / http.at("/floor/perSecond").asDouble(),
                        within(1e-9));
        assertThat(http.get("readingsPerSecond").asDouble())
                .isCloseTo(http.at("/syncs/perSecond").asDouble() * 4, within(1e-6));

        // the same number of readings for each population, and the ratio of their throughputs
        JsonNode scaling = r.get("scaling");
        assertThat(scaling.get("readings").asLong()).isEqualTo(600);
        JsonNode few = scaling.at("/populations/0");
        JsonNode many = scaling.at("/populations/1");
        assertThat(few.get("participants").asInt()).isEqualTo(8);
        assertThat(many.get("participants").asInt()).isEqualTo(16);
        for (JsonNode p : new JsonNode[] {few, many}) {
            assertThat(p.get("readings").asLong()).isEqualTo(600);
            assertThat(p.get("normalized").asLong() + p.get("rejected").asLong())
                    .isEqualTo(600);
            assertThat(p.get("referenceRecords").asInt())
                    .isGreaterThan(p.get("participants").asInt());
            throughput(p, "throughput", 600 - warmup);
        }
        assertThat(scaling.get("largestOverSmallest").asDouble())
                .isCloseTo(
                        many.at("/throughput/perSecond").asDouble()
                                / few.at("/throughput/perSecond").asDouble(),
                        within(1e-9));
        assertThat(r.get("ok").asBoolean()).isTrue();

        // every system processed every reading of the input exactly once
        assertThat(r.at("/checks/input").asLong()).isEqualTo(readings);
        assertThat(r.at("/checks/baselineConsumed").asLong()).isEqualTo(readings);
        assertThat(r.at("/checks/countSum").asLong()).isEqualTo(readings);
        assertThat(r.at("/checks/normalized").asLong()
                        + r.at("/checks/rejected").asLong())
                .isEqualTo(readings);
        assertThat(r.at("/checks/normalized").asLong())
                .isEqualTo(r.at("/input/expectedNormalized").asLong());
        assertThat(r.at("/checks/ok").asBoolean()).isTrue();

        JsonNode latency = r.get("latency");
        assertThat(latency.get("targetRate").asDouble()).isCloseTo(c / 2, within(1e-6));
        assertThat(latency.get("sent").asLong()).isPositive();
        assertThat(latency.get("matched").asLong())
                .isPositive()
                .isLessThanOrEqualTo(latency.get("expectedValid").asLong());
        for (String p : new String[] {"fromAck", "fromSend", "ack"}) {
            JsonNode q = latency.get(p);
            assertThat(q.get("p50").asDouble())
                    .as(p)
                    .isPositive()
                    .isLessThanOrEqualTo(q.get("p90").asDouble());
            assertThat(q.get("p90").asDouble())
                    .as(p)
                    .isLessThanOrEqualTo(q.get("p99").asDouble());
            assertThat(q.get("p99").asDouble())
                    .as(p)
                    .isLessThanOrEqualTo(q.get("max").asDouble());
        }
        assertThat(latency.at("/fromAck/p50").asDouble())
                .isLessThanOrEqualTo(latency.at("/fromSend/p50").asDouble());

        assertThat(r.at("/state/participantDays").asLong()).isPositive();
        assertThat(r.at("/state/stateDirBytes").asLong()).isPositive();
        assertThat(r.at("/state/changelogBytes").asLong()).isPositive();
        assertThat(r.at("/state/stateBytesPerParticipantDay").asDouble())
                .isCloseTo(
                        (double) r.at("/state/stateDirBytes").asLong()
                                / r.at("/state/participantDays").asLong(),
                        within(1e-6));
        assertThat(r.at("/heap/peakBytes").asLong()).isPositive();
        assertThat(r.at("/heap/peakByPhase/c").asLong())
                .isPositive()
                .isLessThanOrEqualTo(r.at("/heap/peakBytes").asLong());
    }

    @Test
    void theBenchRefusesAnExternalCluster() {
        CliRun run = CliRun.of("bench", "-D", "bootstrap.servers=localhost:9092");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("runs its own broker").doesNotContain("\tat ");
    }

    /** Records per second of a phase: positive, and the timed readings over the seconds it took. */
    private static double throughput(JsonNode report, String phase, long timed) {
        return throughput(report, phase, timed, true);
    }

    private static double throughput(JsonNode report, String phase, long timed, boolean produced) {
        JsonNode t = report.get(phase);
        assertThat(t.get("records").asLong()).as(phase).isEqualTo(timed);
        assertThat(t.get("seconds").asDouble()).as(phase).isPositive();
        double perSecond = t.get("perSecond").asDouble();
        assertThat(perSecond)
                .as(phase)
                .isPositive()
                .isCloseTo(timed / t.get("seconds").asDouble(), within(1e-6));
        if (produced) {
            assertThat(t.get("producePerSecond").asDouble()).as(phase).isPositive();
        }
        return perSecond;
    }
}
