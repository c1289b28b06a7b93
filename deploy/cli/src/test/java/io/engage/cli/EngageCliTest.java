package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngageCliTest {

    @Test
    void helpListsEverySubcommandOfTheSpec() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("demo", "local", "registry", "ingest", "streams", "simulate", "topics", "replay", "bench");
    }

    @Test
    void anUnknownConfigurationKeyIsOneClearLine() {
        CliRun run = CliRun.of("topics", "list", "-D", "ingest.prot=1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("engage: unknown configuration key 'ingest.prot'")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void anInvalidValueNamesTheKey() {
        CliRun run = CliRun.of("topics", "list", "--late-horizon", "7 days");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("late.horizon").doesNotContain("\tat ");
    }

    @Test
    void topicsListPrintsTheCatalogueUnderThePrefix() {
        CliRun run = CliRun.of("topics", "list", "--topic-prefix", "acme.");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("`acme.readings.raw`", "`acme.donations`", "`acme._schemas`");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "streams"})
    void clusterProcessesWithoutKafkaAreAClearError(String command) {
        CliRun run = CliRun.of(command);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("engage: " + command + " needs --bootstrap-servers")
                .doesNotContain("\tat ");
    }

    @Test
    void topicsCreateWithoutBootstrapServersIsAClearError() {
        CliRun run = CliRun.of("topics", "create");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--bootstrap-servers");
    }
}
