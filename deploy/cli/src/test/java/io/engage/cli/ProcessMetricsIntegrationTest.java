package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/operations.md: after a demo through the gateway API, each process's {@code /metrics} has every metric the
 * operations guide lists for it, by its Prometheus name, with a value above zero.
 */
@Tag("integration")
class ProcessMetricsIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void afterTheDemoEachProcessServesItsMetricsWithValues(@TempDir Path tmp) throws Exception {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo)
                .parseArgs(
                        "--target",
                        "http",
                        "--participants",
                        "20",
                        "--days",
                        "3",
                        "--points-per-donation",
                        "10",
                        "--budget",
                        "40");
        StringWriter output = new StringWriter();
        try (LocalStack stack = LocalStack.start(EphemeralStack.config(tmp), false, DemoCommand.brokerOverrides())
                .startIngest()
                .startStreams()) {
            demo.runOn(stack, new PrintWriter(output, true));
            Map<String, Double> ingest = scrape(stack.ingest().port());
            // the budget gauges follow the ledger's store every few seconds (docs/operations.md)
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> scrape(stack.streams().port()).containsKey("engage_donation_budget"));
            Map<String, Double> streams = scrape(stack.streams().port());

            List<String> both = List.of(
                    "http_server_requests_seconds_count",
                    "http_server_requests_seconds_bucket",
                    "jvm_memory_used_bytes",
                    "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes",
                    "jvm_info",
                    "process_cpu_usage",
                    "process_uptime_seconds",
                    "process_files_open_files",
                    "system_cpu_count",
                    "kafka_stream_thread_process_total",
                    "kafka_stream_alive_stream_threads",
                    "kafka_consumer_fetch_manager_records_consumed_total",
                    "kafka_producer_record_send_total");
            assertThat(ingest)
                    .as("ingest /metrics, largest value of each name")
                    .containsKeys(both.toArray(String[]::new))
                    .containsKeys("engage_ingest_readings_total", "engage_normalizer_readings_total");
            assertThat(streams)
                    .as("streams /metrics, largest value of each name")
                    .containsKeys(both.toArray(String[]::new))
                    .containsKeys(
                            "engage_goals_achieved_total",
                            "engage_points_awarded_total",
                            "engage_donations_total",
                            "engage_nudges_total",
                            "engage_cheers_total",
                            "engage_donation_budget");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ndemo output:\n" + output, e);
        }
    }

    /**
     * The names of a Prometheus scrape whose largest sample is above zero (a name with only zeros is left out, so
     * that {@code containsKeys} asserts both presence and a value).
     */
    private static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> max = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace >= 0 ? brace : line.indexOf(' '));
            double value = Double.parseDouble(line.substring(space + 1));
            if (value > 0 && !Double.isNaN(value)) {
                max.merge(name, value, Math::max);
            }
        }
        return max;
    }
}
