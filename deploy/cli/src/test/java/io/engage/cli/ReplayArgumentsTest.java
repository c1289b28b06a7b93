package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/replay.md: a bad argument of {@code replay export} or {@code replay what-if} is one clear line and exit code 2,
 * before any connection.
 */
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

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--program {rules} --from 2026-12-01 --to 2026-11-01 | --from (2026-12-01) must not be after --to (2026-11-01)",
                "--program {rules} --from 1st --to 2026-11-01 | --from must be a date (2026-11-30), was '1st'",
                "--program {rules} --from 2026-11-01 --to 2026-11-02 --format xlsx | --format must be text or json",
                "--program {missing} --from 2026-11-01 --to 2026-11-02 | --program {missing}: no such file",
                "--program {notJson} --from 2026-11-01 --to 2026-11-02 | --program {notJson}: Unrecognized token 'stepGoal'",
                "--program {unknownField} --from 2026-11-01 --to 2026-11-02 | --program: unknown field 'stepgoal'",
                "--program {badGoal} --from 2026-11-01 --to 2026-11-02 | --program: field 'stepGoal'"
            })
    void aBadWhatIfArgumentIsOneLineAndExitTwo(String args, String message, @TempDir Path tmp) throws Exception {
        Map<String, Path> files = Map.of(
                "{rules}", write(tmp, "rules.json", "{\"stepGoal\": 12000}"),
                "{missing}", tmp.resolve("missing.json"),
                "{notJson}", write(tmp, "not.json", "stepGoal=12000"),
                "{unknownField}", write(tmp, "unknown.json", "{\"stepgoal\": 12000}"),
                "{badGoal}", write(tmp, "bad.json", "{\"stepGoal\": -5}"));
        String resolvedArgs = args;
        String resolvedMessage = message;
        for (Map.Entry<String, Path> f : files.entrySet()) {
            resolvedArgs = resolvedArgs.replace(f.getKey(), f.getValue().toString());
            resolvedMessage = resolvedMessage.replace(f.getKey(), f.getValue().toString());
        }
        String[] rest = resolvedArgs.trim().split(" ");
        String[] all = new String[rest.length + 2];
        all[0] = "replay";
        all[1] = "what-if";
        System.arraycopy(rest, 0, all, 2, rest.length);
        CliRun run = CliRun.of(all);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("engage: " + resolvedMessage.trim());
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
    }

    private static Path write(Path dir, String name, String text) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
