package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/replay.md: a bad argument of {@code replay export} is one clear line and exit code 2, before any connection. */
class ReplayArgumentsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--topic readings.everything | unknown topic 'readings.everything'; the catalogue has readings.raw",
                "--topic donations --from 2026-12-01 --to 2026-11-01 | --from (2026-12-01T00:00:00Z) must be before --to",
                "--topic donations --from yesterday | --from must be an ISO-8601 instant",
                "--topic donations --to 2026-13-01 | --to must be an ISO-8601 instant",
                "--topic donations --format xlsx | --format must be jsonl or csv, was 'xlsx'"
            })
    void aBadArgumentIsOneLineAndExitTwo(String args, String message) {
        String[] rest = args.trim().split(" ");
        String[] all = new String[rest.length + 2];
        all[0] = "replay";
        all[1] = "export";
        System.arraycopy(rest, 0, all, 2, rest.length);
        CliRun run = CliRun.of(all);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("engage: " + message.trim());
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
    }
}
