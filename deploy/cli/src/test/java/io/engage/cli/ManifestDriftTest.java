package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployment files (deploy/compose, deploy/k8s, deploy/prometheus, deploy/grafana, deploy/docker; docs/operations.md,
 * "Deployment") cannot drift from the code: topic names are the catalogue's, {@code ENGAGE_*} variables are
 * configuration keys the processes read, commands are engage's, ports are those the processes resolve, metric names
 * are those docs/operations.md lists and the code registers, and the alert rules are the documented ones. The
 * negative cases break one file of a copy and expect the check to say so.
 */
class ManifestDriftTest {
    /** The repository root, seen from this module (deploy/cli). */
    static final Path ROOT = Path.of("../..");

    @Test
    void theDeploymentFilesAgreeWithTheCodeAndTheDocs() {
        assertThat(ROOT.resolve("deploy/compose/compose.yaml"))
                .as("the repository root seen from deploy/cli")
                .exists();
        assertThat(new ManifestChecks(ROOT).run()).isEmpty();
    }

    @Test
    void metricNamesAreTheIdentifiersOfAnExpressionNotItsLabelsOrFunctions() {
        assertThat(ManifestChecks.metricNames("histogram_quantile(0.99, sum by (job, uri, le) (rate("
                        + "http_server_requests_seconds_bucket{uri!=\"NOT_FOUND\"}[$__rate_interval])))"
                        + " > on (job) group_left engage_donation_budget"))
                .containsExactly("http_server_requests_seconds_bucket", "engage_donation_budget");
    }

    @Test
    void variablesMapToKeysByTheDocumentedRule() {
        assertThat(ManifestChecks.configurationKey("ENGAGE_QUERY_ADVERTISED_HOST"))
                .isEqualTo("query.advertised.host");
        assertThat(ManifestChecks.configurationKey("ENGAGE_KAFKA_NUM_STANDBY_REPLICAS"))
                .isEqualTo("kafka.num.standby.replicas");
        assertThat(ManifestChecks.configurationKey("ENGAGE_AUTH_TOKEN_READ")).isEqualTo("auth.token.read");
        assertThat(ManifestChecks.configurationKey("ENGAGE_QUERY_ADVERTISED_HOSTNAME"))
                .isNull();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                // a misspelled topic in a dashboard's text, and as the registry's storage topic
                "deploy/grafana/dashboards/engage.json|readings.rejected|readings.rejectd|deploy/grafana/dashboards/engage.json: topic 'readings.rejectd' is not in the topic catalogue",
                "deploy/compose/compose.yaml|SCHEMA_REGISTRY_KAFKASTORE_TOPIC: _schemas|SCHEMA_REGISTRY_KAFKASTORE_TOPIC: schemas|'schemas' is not in the topic catalogue",
                // a topic misspelt in its first segment, where a file names a topic: a *_TOPIC setting, --topic
                "deploy/compose/compose.yaml|SCHEMA_REGISTRY_KAFKASTORE_TOPIC: _schemas|SCHEMA_REGISTRY_KAFKASTORE_TOPIC: readngs.raw|deploy/compose/compose.yaml: topic 'readngs.raw' is not in the topic catalogue",
                "deploy/prometheus/alerts.yml|--topic readings.rejected|--topic readngs.rejected|deploy/prometheus/alerts.yml: topic 'readngs.rejected' is not in the topic catalogue",
                "deploy/grafana/dashboards/engage.json|--topic readings.rejected shows|--topic activty.daily shows|deploy/grafana/dashboards/engage.json: topic 'activty.daily' is not in the topic catalogue",
                // a variable no key maps to, and a Kafka setting that does not exist
                "deploy/compose/compose.yaml|ENGAGE_QUERY_ADVERTISED_HOST: streams-2|ENGAGE_QUERY_ADVERTISED_HOSTNAME: streams-2|deploy/compose/compose.yaml: ENGAGE_QUERY_ADVERTISED_HOSTNAME maps to no configuration key",
                "deploy/k8s/streams.yaml|ENGAGE_KAFKA_NUM_STANDBY_REPLICAS|ENGAGE_KAFKA_NUM_STANDBY_REPLICA|'num.standby.replica' to Kafka",
                // a value the configuration refuses
                "deploy/k8s/configmap.yaml|ENGAGE_LATE_HORIZON: P7D|ENGAGE_LATE_HORIZON: 7 days|invalid late.horizon",
                // a command the command line does not have
                "deploy/compose/compose.yaml|command: [\"streams\"|command: [\"stream\"|is not a valid command",
                // ports that do not reach the API
                "deploy/compose/compose.yaml|\"8082:8080\"|\"8082:8081\"|deploy/compose/compose.yaml: ingest-2: port mapping 8082:8081 does not reach the API's port 8080",
                "deploy/prometheus/prometheus.yml|streams-2:8090|streams-2:8091|target streams-2:8091, but streams-2 serves on port 8090",
                "deploy/k8s/streams.yaml|prometheus.io/port: \"8090\"|prometheus.io/port: \"8091\"|prometheus.io/port '8091'",
                "deploy/k8s/configmap.yaml|ENGAGE_QUERY_PORT: \"8090\"|ENGAGE_QUERY_PORT: \"8095\"|deploy/k8s/streams.yaml: engage-streams: containerPort 8090 is not the API's port 8095",
                // metric names that nothing produces
                "deploy/grafana/dashboards/engage.json|engage_nudges_total{outcome=|engage_nudge_total{outcome=|deploy/grafana/dashboards/engage.json: metric 'engage_nudge_total' is not in docs/operations.md",
                "deploy/prometheus/alerts.yml|kafka_stream_alive_stream_threads == 0|kafka_stream_alive_threads == 0|differs from the alert rules of docs/operations.md",
                // two streams instances with one identity
                "deploy/compose/compose.yaml|ENGAGE_INSTANCE_ID: streams-2|ENGAGE_INSTANCE_ID: streams-1|instance.id 'streams-1' is used by another instance",
                "deploy/k8s/streams.yaml|$(POD_NAME).engage-streams.engage.svc|engage-streams.engage.svc|is not the pod's name under the headless Service",
                // Kubernetes pods that Prometheus would not scrape under the job names the alert rules select on
                "deploy/k8s/streams.yaml|app.kubernetes.io/name: engage-streams|app.kubernetes.io/name: engage-stream|deploy/k8s/streams.yaml: engage-streams: its pods are scraped as job 'engage-stream' (app.kubernetes.io/name); the alert rules expect engage-streams",
                "deploy/k8s/ingest.yaml|prometheus.io/scrape: \"true\"|prometheus.io/scrape: \"false\"|deploy/k8s/ingest.yaml: engage-ingest: prometheus.io/scrape is not \"true\"",
                "deploy/prometheus/prometheus-kubernetes.yml|[__meta_kubernetes_pod_label_app_kubernetes_io_name]|[__meta_kubernetes_pod_label_app]|deploy/prometheus/prometheus-kubernetes.yml: engage-pods: the job label is not the pod's app.kubernetes.io/name",
                "deploy/prometheus/prometheus-kubernetes.yml|names: [engage]|names: [default]|deploy/prometheus/prometheus-kubernetes.yml: namespace engage of engage-streams is not among those discovered",
            })
    void aBrokenFileIsFound(String file, String from, String to, String expected, @TempDir Path copy)
            throws IOException {
        copyDeploymentFiles(copy);
        replace(copy, file, from, to);

        List<String> problems = new ManifestChecks(copy).run();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected));
    }

    /** Breaks that add a line: a setting or an env entry naming a topic misspelt in its first segment. */
    static Stream<Arguments> addedLines() {
        return Stream.of(
                Arguments.of(
                        "deploy/k8s/streams.yaml",
                        "            - name: ENGAGE_JAVA_OPTS\n",
                        "            - name: REPLAY_TOPIC\n              value: activty.daily\n"
                                + "            - name: ENGAGE_JAVA_OPTS\n",
                        "deploy/k8s/streams.yaml: topic 'activty.daily' is not in the topic catalogue"),
                Arguments.of(
                        "deploy/compose/.env.example",
                        "GRAFANA_ADMIN_PASSWORD=",
                        "REPLAY_TOPICS=readings.raw,readngs.normalized\nGRAFANA_ADMIN_PASSWORD=",
                        "deploy/compose/.env.example: topic 'readngs.normalized' is not in the topic catalogue"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("addedLines")
    void anAddedLineIsFound(String file, String from, String to, String expected, @TempDir Path copy)
            throws IOException {
        aBrokenFileIsFound(file, from, to, expected, copy);
    }

    /** Prose after the word topic in a comment is not a topic name; a misspelt dotted name there still is. */
    @Test
    void aWordAfterTopicInACommentIsNoTopic(@TempDir Path copy) throws IOException {
        copyDeploymentFiles(copy);
        replace(
                copy,
                "deploy/compose/compose.yaml",
                "services:\n",
                "# one topic: 6 partitions; use --topic to choose what to export, not __consumer_offsets\n"
                        + "services:\n");

        assertThat(new ManifestChecks(copy).run()).isEmpty();

        replace(copy, "deploy/compose/compose.yaml", "--topic to choose", "--topic readngs.raw to choose");
        assertThat(new ManifestChecks(copy).run())
                .singleElement()
                .asString()
                .startsWith("deploy/compose/compose.yaml: topic 'readngs.raw' is not in the topic catalogue");
    }

    /**
     * A metric docs/operations.md lists and a dashboard uses, but which no meter of the code registers: the docs and
     * the dashboard agree with each other and not with the code.
     */
    @Test
    void aDocumentedMetricWithoutAMeterIsFound(@TempDir Path copy) throws IOException {
        copyDeploymentFiles(copy);
        replace(
                copy,
                "docs/operations.md",
                "| `engage_cheers_total` |",
                "| `engage_cheer_givers_total` | streams | | made up for this test |\n| `engage_cheers_total` |");
        replace(copy, "deploy/grafana/dashboards/engage.json", "engage_cheers_total", "engage_cheer_givers_total");

        List<String> problems = new ManifestChecks(copy).run();

        assertThat(problems)
                .contains("deploy/grafana/dashboards/engage.json: metric 'engage_cheer_givers_total' is documented but"
                        + " no meter of the code has that name")
                .noneSatisfy(p -> assertThat(p).contains("'engage_cheer_givers_total' is not in docs/operations.md"));
    }

    /**
     * A documented metric whose name only starts with a meter's ({@code engage_donation_budget}) is no sample of it:
     * only the suffixes Prometheus adds count.
     */
    @Test
    void aDocumentedMetricThatOnlyExtendsAMetersNameIsFound(@TempDir Path copy) throws IOException {
        copyDeploymentFiles(copy);
        replace(
                copy,
                "docs/operations.md",
                "| `engage_cheers_total` |",
                "| `engage_donation_budget_spent` | streams | | made up for this test |\n| `engage_cheers_total` |");
        replace(
                copy,
                "deploy/grafana/dashboards/engage.json",
                "engage_donation_budget_remaining",
                "engage_donation_budget_spent");

        List<String> problems = new ManifestChecks(copy).run();

        assertThat(problems)
                .contains("deploy/grafana/dashboards/engage.json: metric 'engage_donation_budget_spent' is documented"
                        + " but no meter of the code has that name");
    }

    @Test
    void samplesOfAMeterAreItsNameWithTheSuffixesPrometheusAdds() {
        assertThat(ManifestChecks.isSampleOf("engage_nudges_total", "engage_nudges_total"))
                .isTrue();
        assertThat(ManifestChecks.isSampleOf("engage_ingest_commit_seconds_count", "engage_ingest_commit"))
                .isTrue();
        assertThat(ManifestChecks.isSampleOf("engage_donation_budget_remaining", "engage_donation_budget"))
                .isFalse();
        assertThat(ManifestChecks.isSampleOf("engage_nudges_total_total", "engage_nudges"))
                .isFalse();
    }

    private static void replace(Path copy, String file, String from, String to) throws IOException {
        Path target = copy.resolve(file);
        String text = Files.readString(target);
        assertThat(text).as("the text this case breaks").contains(from);
        Files.writeString(target, text.replace(from, to));
    }

    /** The files the checks read, at the same places under {@code copy}. */
    private static void copyDeploymentFiles(Path copy) throws IOException {
        for (String dir :
                List.of("deploy/compose", "deploy/k8s", "deploy/prometheus", "deploy/grafana", "deploy/docker")) {
            Path from = ROOT.resolve(dir);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path to = copy.resolve(dir).resolve(from.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            }
        }
        Files.createDirectories(copy.resolve("docs"));
        Files.copy(ROOT.resolve("docs/operations.md"), copy.resolve("docs/operations.md"));
        Files.copy(ROOT.resolve("engage"), copy.resolve("engage"));
    }
}
