package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo through the CLI, as a user runs it: embedded KRaft broker, embedded registry, real clients. */
@Tag("integration")
class DemoCommandIntegrationTest {

    @Test
    void demoRunsTwiceOnTheSameDataDirectoryAndFreshWipesIt(@TempDir Path tmp) {
        String dataDir = tmp.resolve("var").toString();

        CliRun first = CliRun.of("demo", "--data-dir", dataDir, "--broker-port", "0", "--registry-port", "0");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("16 created, 0 already present")
                .contains("read back         15 of 15 readings")
                .contains("wire format       15 of 15 records start with magic byte 0")
                .contains("engage demo: done");
        assertThat(Files.exists(tmp.resolve("var/kafka/meta.properties"))).isTrue();

        CliRun second = CliRun.of("demo", "--data-dir", dataDir, "--broker-port", "0", "--registry-port", "0");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("0 created, 16 already present").contains("read back         15 of 15 readings");
        // the registry replays _schemas on restart: the same schema keeps its id
        assertThat(schemaIdLine(second.out())).isEqualTo(schemaIdLine(first.out()));

        CliRun fresh = CliRun.of("demo", "--fresh", "--data-dir", dataDir, "--broker-port", "0", "--registry-port", "0");
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(fresh.out()).contains("16 created, 0 already present");
    }

    @Test
    void aTakenBrokerPortIsOneClearLine(@TempDir Path tmp) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("demo", "--data-dir", tmp.resolve("var").toString(),
                    "--broker-port", String.valueOf(taken.getLocalPort()), "--registry-port", "0");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("port " + taken.getLocalPort()).contains("broker.port")
                    .contains("already in use").doesNotContain("\tat ");
        }
    }

    @Test
    void freshRefusesToWipeADirectoryThatIsNotOurs(@TempDir Path tmp) throws IOException {
        Path precious = tmp.resolve("precious");
        Files.createDirectories(precious);
        Files.writeString(precious.resolve("thesis.tex"), "do not delete");
        CliRun run = CliRun.of("demo", "--fresh", "--data-dir", precious.toString(), "--broker-port", "0", "--registry-port", "0");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refusing to wipe");
        assertThat(precious.resolve("thesis.tex")).exists();
    }

    private static String schemaIdLine(String out) {
        return out.lines().filter(l -> l.contains("schema id")).findFirst().orElse("");
    }
}
