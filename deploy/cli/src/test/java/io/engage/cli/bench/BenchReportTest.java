package io.engage.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's ratios, text and JSON, from made-up measurements (no broker). */
class BenchReportTest {
    private static final Throughput A = new Throughput(90_000, 10_000, 0.5, 180_000, 0.4);
    private static final Throughput B = new Throughput(90_000, 10_000, 2.0, 45_000, 0.5);
    private static final Throughput C = new Throughput(90_000, 10_000, 20.0, 4_500, 1.0);
    private static final BenchReport.Stages STAGES = new BenchReport.Stages(
            new Throughput(90_000, 10_000, 3.0, 30_000, 0.6),
            new Throughput(89_000, 9_900, 10.0, 8_900, 0),
            1.5,
            1_000,
            98_900,
            1_100);

    @Test
    void eachStageAloneIsComparedWithTheTrivialCountOfTheSameRun() {
        BenchReport.Ratios r = BenchReport.Ratios.of(A, B, C, STAGES);
        assertThat(r.pipelineOverCount()).isCloseTo(0.1, within(1e-12));
        assertThat(r.pipelineOverBaseline()).isCloseTo(0.025, within(1e-12));
        assertThat(r.countOverBaseline()).isCloseTo(0.25, within(1e-12));
        assertThat(r.normalizerOverCount()).isCloseTo(30_000.0 / 45_000, within(1e-12));
        assertThat(r.engagementOverCount()).isCloseTo(8_900.0 / 45_000, within(1e-12));
    }

    @Test
    void aRatioOverNothingMeasuredIsZeroNotInfinite() {
        Throughput none = new Throughput(0, 0, 0, 0, 0);
        assertThat(BenchReport.Ratios.of(none, none, C, STAGES).normalizerOverCount())
                .isZero();
    }

    @Test
    void scalingComparesTheLargestPopulationWithTheSmallest() {
        BenchReport.Scaling s = scaling(3_000, 2_400);
        assertThat(s.largestOverSmallest()).isCloseTo(0.8, within(1e-12));
        assertThat(s.ok()).isTrue();
        assertThat(new BenchReport.Scaling(100_000, List.of(population(500, 3_000, 99_000, 1_000)))
                        .largestOverSmallest())
                .isZero();
    }

    @Test
    void aPopulationThatLostOrDuplicatedAReadingFailsTheRun() {
        BenchReport.Scaling lost = new BenchReport.Scaling(
                100_000, List.of(population(500, 3_000, 99_000, 1_000), population(20_000, 2_400, 98_000, 1_000)));
        assertThat(lost.ok()).isFalse();
        assertThat(report(lost, checks(100_000)).ok()).isFalse();
        assertThat(report(scaling(3_000, 2_400), checks(100_000)).ok()).isTrue();
        assertThat(report(null, checks(100_000)).ok()).isTrue();
    }

    @Test
    void theNormaliserAloneMustNormaliseOrDeadLetterEveryReading() {
        BenchReport.Checks c = new BenchReport.Checks(100_000, 100_000, 100_000, 98_900, 1_100, 98_900, 98_900, 1_000);
        assertThat(c.ok()).isFalse();
        assertThat(checks(100_000).ok()).isTrue();
    }

    @Test
    void theTextReportGivesTheStagesTheirRatiosAndTheScaling() {
        String text = report(scaling(3_000, 2_400), checks(100_000)).render();
        assertThat(text)
                .contains("normaliser alone (readings.raw, engagement not running)")
                .contains("engagement alone (backlog of readings.normalized)")
                .contains(
                        "cold passes (untimed, before the timed ones, own topics): (b) 45,000/s  (c) 4,500/s  c/b 0.100")
                .contains("stage ratios (this run): normaliser alone/(b) 0.667   engagement alone/(b) 0.198")
                .contains("population scaling")
                .contains("scaling ratio (this run): 20,000 / 500 participants 0.800")
                .contains("normaliser alone 98,900 normalised + 1,100 dead-lettered = 100,000 (as in (c))")
                .contains("scaling, 20,000 participants: 98,900 normalised + 1,100 dead-lettered = 100,000");
        assertThat(report(null, checks(100_000)).render()).doesNotContain("population scaling");
    }

    @Test
    void theGatewayPhaseIsComparedWithItsHttpFloor() {
        BenchReport r = report(null, checks(100_000));
        assertThat(r.http().syncsOverFloor()).isCloseTo(300.0 / 1_600, within(1e-12));
        assertThat(r.http().readingsPerSecond()).isEqualTo(1_200);
        assertThat(r.render())
                .contains("gateway API alone (h): 64 keep-alive clients, 10 s timed")
                .contains("device syncs of 4 readings (202: Kafka has them)")
                .contains(
                        "ratio (this run): h/floor 0.188 (target >= 0.6); p99 of the 202 480.3 ms (target <= 150 ms)");
        JsonNode j = new ObjectMapper().valueToTree(r);
        assertThat(j.at("/http/syncs/perSecond").asDouble()).isEqualTo(300);
        assertThat(j.at("/http/floor/p99Ms").asDouble()).isEqualTo(90);
        assertThat(j.at("/http/syncsOverFloor").asDouble()).isCloseTo(300.0 / 1_600, within(1e-12));
        assertThat(j.at("/http/ok").asBoolean()).isTrue();
    }

    @Test
    void anUnexpectedGatewayAnswerFailsTheRun() {
        BenchReport ok = report(null, checks(100_000));
        BenchReport failed = new BenchReport(
                ok.date(),
                ok.cores(),
                ok.jvm(),
                ok.os(),
                ok.loadAverage(),
                ok.parameters(),
                ok.input(),
                ok.baseline(),
                ok.baselinePasses(),
                ok.baselineConsumeOnlyPerSecond(),
                ok.count(),
                ok.pipeline(),
                ok.cold(),
                ok.stages(),
                ok.ratios(),
                ok.latency(),
                ok.state(),
                ok.scaling(),
                new BenchReport.Http(
                        64,
                        4,
                        new HttpLoad.Result(3_000, 10, 300, 120, 480, 2),
                        ok.http().floor()),
                null,
                ok.heap(),
                ok.checks());
        assertThat(ok.ok()).isTrue();
        assertThat(failed.ok()).isFalse();
    }

    @Test
    void theJsonCarriesEveryNewFigure() {
        JsonNode j = new ObjectMapper().valueToTree(report(scaling(3_000, 2_400), checks(100_000)));
        assertThat(j.at("/stages/normalizer/perSecond").asDouble()).isEqualTo(30_000);
        assertThat(j.at("/stages/engagement/records").asLong()).isEqualTo(89_000);
        assertThat(j.at("/stages/engagementStartSeconds").asDouble()).isEqualTo(1.5);
        assertThat(j.at("/ratios/normalizerOverCount").asDouble()).isCloseTo(30_000.0 / 45_000, within(1e-12));
        assertThat(j.at("/ratios/engagementOverCount").asDouble()).isCloseTo(8_900.0 / 45_000, within(1e-12));
        assertThat(j.at("/scaling/readings").asLong()).isEqualTo(100_000);
        assertThat(j.at("/scaling/populations/1/participants").asInt()).isEqualTo(20_000);
        assertThat(j.at("/scaling/populations/1/throughput/perSecond").asDouble())
                .isEqualTo(2_400);
        assertThat(j.at("/scaling/largestOverSmallest").asDouble()).isCloseTo(0.8, within(1e-12));
        assertThat(j.at("/scaling/populations/0/ok").asBoolean()).isTrue();
        assertThat(j.at("/parameters/scalingParticipants/1").asInt()).isEqualTo(20_000);
        assertThat(j.at("/checks/stageNormalized").asLong()).isEqualTo(98_900);
        assertThat(j.at("/ok").asBoolean()).isTrue();
        assertThat(new ObjectMapper()
                        .valueToTree(report(null, checks(100_000)))
                        .get("scaling")
                        .isNull())
                .isTrue();
    }

    private static BenchReport.Scaling scaling(double few, double many) {
        return new BenchReport.Scaling(
                100_000, List.of(population(500, few, 98_900, 1_100), population(20_000, many, 98_900, 1_100)));
    }

    private static BenchReport.Scaling.Population population(
            int participants, double perSecond, long normalized, long rejected) {
        return new BenchReport.Scaling.Population(
                participants,
                100_000,
                participants - 10,
                "2026-11-27T03:00:00Z",
                participants * 2,
                1.0,
                2.0,
                new Throughput(90_000, 10_000, 90_000 / perSecond, perSecond, 1.0),
                normalized,
                rejected,
                98_900);
    }

    private static BenchReport.Checks checks(long input) {
        return new BenchReport.Checks(input, input, input, 98_900, 1_100, 98_900, 98_900, 1_100);
    }

    private static BenchReport report(BenchReport.Scaling scaling, BenchReport.Checks checks) {
        Percentiles p = new Percentiles(10, 100, 200, 300, 400);
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("c", 300L << 20);
        return new BenchReport(
                "2026-11-30T12:00:00Z",
                2,
                "jvm",
                "os",
                new double[] {1.0, 2.0},
                new BenchReport.Parameters(
                        500,
                        4,
                        42,
                        100_000,
                        10_000,
                        20,
                        "2026-11-26",
                        "2026-11-30T00:00:00Z",
                        scaling == null ? List.of() : List.of(500, 20_000)),
                new BenchReport.Input(100_000, 13_100_000, 131, 98_900),
                A,
                new double[] {170_000, 180_000, 190_000},
                2_000_000,
                B,
                C,
                new BenchReport.Cold(B, C),
                STAGES,
                BenchReport.Ratios.of(A, B, C, STAGES),
                new Latency(2_250, 2_240, 20, 44_800, 44_000, 40_000, p, p, p),
                new BenchReport.State(2_000, 50L << 20, 100L << 20),
                scaling,
                new BenchReport.Http(
                        64,
                        4,
                        new HttpLoad.Result(3_000, 10, 300, 120.5, 480.25, 0),
                        new HttpLoad.Result(16_000, 10, 1_600, 30.0, 90.0, 0)),
                null,
                new BenchReport.Heap(1L << 30, phases, 1L << 30, 6L << 30),
                checks);
    }
}
