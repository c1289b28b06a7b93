package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/operations.md: after a demo through the gateway API, each process's {@code /metrics} has every metric the
 * operations guide's tables list for it, by its Prometheus name; the business counters, the HTTP timer and the main
 * platform metrics with a value above zero.
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
            assertThat(body(stack.streams().port()).lines())
                    .as("the pipeline counts' own consumer among the streams process's Kafka client metrics")
                    .anySatisfy(line -> {
                        assertThat(line)
                                .startsWith("kafka_consumer_fetch_manager_records_consumed_total{")
                                .contains("pipeline-feed");
                        assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                                .isPositive();
                    });
            Map<String, List<String>> documented = documentedNames();
            assertThat(documented.get("ingest"))
                    .as("names read from docs/operations.md for the ingest process, one of each table")
                    .contains("engage_ingest_readings_total", "http_server_requests_seconds", "kafka_stream_*");
            assertThat(documented.get("streams"))
                    .as("names read from docs/operations.md for the streams process, one of each table")
                    .contains("engage_goals_achieved_total", "http_server_requests_seconds", "jvm_info")
                    .doesNotContain("engage_ingest_readings_total");
            assertThat(missing(documented.get("ingest"), names(stack.ingest().port())))
                    .as("names docs/operations.md lists for the ingest process, missing from its /metrics")
                    .isEmpty();
            assertThat(missing(documented.get("streams"), names(stack.streams().port())))
                    .as("names docs/operations.md lists for the streams process, missing from its /metrics")
                    .isEmpty();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ndemo output:\n" + output, e);
        }
    }

    /**
     * The metric names of docs/operations.md's tables by process ({@code ingest}, {@code streams}): the backticked
     * names of a table row's first column ({@code kafka_stream_*}: some name with that prefix), and the example names of
     * its second column for the rows of both processes. The business table says each row's process; the others are
     * both processes'.
     */
    private static Map<String, List<String>> documentedNames() throws Exception {
        Path doc = Path.of("").toAbsolutePath();
        while (!Files.exists(doc.resolve("docs/operations.md"))) {
            doc = doc.getParent();
        }
        Map<String, List<String>> out = Map.of("ingest", new ArrayList<>(), "streams", new ArrayList<>());
        Pattern name = Pattern.compile("`((?:engage|http|kafka|jvm|process|system)_[a-z0-9_]+\\*?)`");
        boolean tables = false;
        for (String line : Files.readAllLines(doc.resolve("docs/operations.md"))) {
            if (line.startsWith("## ")) {
                tables = line.equals("## Business metrics")
                        || line.equals("## HTTP")
                        || line.equals("## Platform metrics");
            }
            if (!tables || !line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String process = cells.length > 2 ? cells[2].trim() : "";
            List<String> processes = process.equals("ingest") || process.equals("streams")
                    ? List.of(process)
                    : List.of("ingest", "streams");
            String names = processes.size() == 1 ? cells[1] : cells[1] + cells[2];
            Matcher m = name.matcher(names);
            while (m.find()) {
                processes.forEach(p -> out.get(p).add(m.group(1)));
            }
        }
        return out;
    }

    /**
     * The documented names not in a scrape: a name must be there as it is or with a sample suffix (a timer's
     * {@code _count}), a {@code prefix_*} needs some name with that prefix.
     */
    private static List<String> missing(List<String> documented, Set<String> scraped) {
        return documented.stream()
                .filter(d -> d.endsWith("*")
                        ? scraped.stream().noneMatch(s -> s.startsWith(d.substring(0, d.length() - 1)))
                        : scraped.stream()
                                .noneMatch(s -> s.equals(d)
                                        || List.of("_count", "_sum", "_max", "_bucket", "_total")
                                                        .contains(s.substring(Math.min(s.length(), d.length())))
                                                && s.startsWith(d)))
                .toList();
    }

    /** A process's {@code /metrics} text. */
    private static String body(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Every name of a Prometheus scrape, whatever its value. */
    private static Set<String> names(int port) throws Exception {
        Set<String> out = new TreeSet<>();
        for (String line : body(port).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int brace = line.indexOf('{');
                out.add(line.substring(0, brace >= 0 ? brace : line.indexOf(' ')));
            }
        }
        return out;
    }

    /**
     * The names of a Prometheus scrape whose largest sample is above zero (a name with only zeros is left out, so
     * that {@code containsKeys} asserts both presence and a value).
     */
    private static Map<String, Double> scrape(int port) throws Exception {
        Map<String, Double> max = new TreeMap<>();
        for (String line : body(port).split("\n")) {
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
