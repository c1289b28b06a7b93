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
        String[] small = {
            "--participants",
            "6",
            "--days",
            "1",
            "--broker-port",
            "0",
            "--registry-port",
            "0",
            "--ingest-port",
            "0",
            "--query-port",
            "0"
        };

        CliRun first = CliRun.of(args("demo", "--data-dir", dataDir, small));
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        assertThat(first.out())
                .contains("16 created, 0 already present")
                .contains("accepted")
                .contains("normalised")
                .contains("every accepted reading was normalised or dead-lettered exactly once")
                .contains("goal days")
                .contains("longest streaks")
                .contains("donations")
                .contains("budget")
                .contains("nudges sent")
                .contains("top teams")
                .contains("simulating")
                .contains("] 100%")
                .contains("engage demo: done");
        assertThat(first.out())
                .as("the query API agrees with the donations topic")
                .containsPattern(
                        "donations +([\\d,]+) made .*\\n *budget +[\\d,]+ of [\\d,]+ left \\(query API: \\1 triggered");
        assertThat(Files.exists(tmp.resolve("var/kafka/meta.properties"))).isTrue();
        assertThat(Files.exists(tmp.resolve("var/tokens.json"))).isTrue();

        CliRun second = CliRun.of(args("demo", "--data-dir", dataDir, small));
        assertThat(second.exitCode()).as(second.err() + second.out()).isZero();
        assertThat(second.out()).contains("0 created, 16 already present").contains("engage demo: done");

        CliRun fresh = CliRun.of(args("demo", "--fresh", "--data-dir", dataDir, small));
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(fresh.out()).contains("16 created, 0 already present");
    }

    private static String[] args(String command, String flag, String value, String... rest) {
        String[] out = new String[3 + rest.length];
        out[0] = command;
        out[1] = flag;
        out[2] = value;
        System.arraycopy(rest, 0, out, 3, rest.length);
        return out;
    }

    private static String[] args(String command, String fresh, String flag, String value, String... rest) {
        String[] out = new String[4 + rest.length];
        out[0] = command;
        out[1] = fresh;
        out[2] = flag;
        out[3] = value;
        System.arraycopy(rest, 0, out, 4, rest.length);
        return out;
    }

    @Test
    void aTakenBrokerPortIsOneClearLine(@TempDir Path tmp) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of(
                    "demo",
                    "--data-dir",
                    tmp.resolve("var").toString(),
                    "--broker-port",
                    String.valueOf(taken.getLocalPort()),
                    "--registry-port",
                    "0",
                    "--ingest-port",
                    "0",
                    "--query-port",
                    "0");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("port " + taken.getLocalPort())
                    .contains("broker.port")
                    .contains("already in use")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void freshRefusesToWipeADirectoryThatIsNotOurs(@TempDir Path tmp) throws IOException {
        Path precious = tmp.resolve("precious");
        Files.createDirectories(precious);
        Files.writeString(precious.resolve("thesis.tex"), "do not delete");
        CliRun run = CliRun.of(
                "demo", "--fresh", "--data-dir", precious.toString(), "--broker-port", "0", "--registry-port", "0");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refusing to wipe");
        assertThat(precious.resolve("thesis.tex")).exists();
    }
}
