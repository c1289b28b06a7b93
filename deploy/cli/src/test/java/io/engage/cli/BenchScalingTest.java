package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --scaling}: which populations run, and the flags it needs (checked before anything starts). */
class BenchScalingTest {

    @Test
    void populationsRunSmallestFirstEachOnce() {
        assertThat(BenchScaling.populations(List.of(20_000, 500, 20_000))).containsExactly(500, 20_000);
    }

    @Test
    void oneSizeOrAnEmptyPopulationIsNotAComparison() {
        assertThatThrownBy(() -> BenchScaling.populations(List.of(500, 500)))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("at least two different population sizes");
        assertThatThrownBy(() -> BenchScaling.populations(List.of(0, 500))).isInstanceOf(UserException.class);
    }

    @Test
    void scalingNeedsTheNumberOfReadingsEveryPopulationGets() {
        CliRun run = CliRun.of("bench", "--scaling", "500,20000");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--scaling needs --readings").doesNotContain("\tat ");
    }

    @Test
    void scalingRefusesASinglePopulation() {
        CliRun run = CliRun.of("bench", "--scaling", "500", "--readings", "1000");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("at least two different population sizes");
    }
}
