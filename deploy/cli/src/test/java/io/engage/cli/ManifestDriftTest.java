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
import org.junit.jupiter.params.provider.CsvSource;

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
                // a variable no key maps to, and a Kafka setting that does not exist
                "deploy/compose/compose.yaml|ENGAGE_QUERY_ADVERTISED_HOST: streams-2|ENGAGE_QUERY_ADVERTISED_HOSTNAME: streams-2|deploy/compose/compose.yaml: ENGAGE_QUERY_ADVERTISED_HOSTNAME maps to no configuration key",
                "deploy/k8s/streams.yaml|ENGAGE_KAFKA_NUM_STANDBY_REPLICAS|ENGAGE_KAFKA_NUM_STANDBY_REPLICA|'num.standby.replica' to Kafka",
                // a value the configuration refuses
                "deploy/k8s/configmap.yaml|ENGAGE_LATE_HORIZON: P7D|ENGAGE_LATE_HORIZON: 7 days|invalid late.horizon",
                // a command the command line does not have
                "deploy/compose/compose.yaml|command: [\"streams\"|command: [\"stream\"|is not a valid command",
                // ports that do not reach the API
                "deploy/prometheus/prometheus.yml|streams-2:8090|streams-2:8091|target streams-2:8091, but streams-2 serves on port 8090",
                "deploy/k8s/streams.yaml|prometheus.io/port: \"8090\"|prometheus.io/port: \"8091\"|prometheus.io/port '8091'",
                "deploy/k8s/configmap.yaml|ENGAGE_QUERY_PORT: \"8090\"|ENGAGE_QUERY_PORT: \"8095\"|deploy/k8s/streams.yaml: engage-streams: containerPort 8090 is not the API's port 8095",
                // metric names that nothing produces
                "deploy/grafana/dashboards/engage.json|engage_nudges_total{outcome=|engage_nudge_total{outcome=|deploy/grafana/dashboards/engage.json: metric 'engage_nudge_total' is not in docs/operations.md",
                "deploy/prometheus/alerts.yml|kafka_stream_alive_stream_threads == 0|kafka_stream_alive_threads == 0|differs from the alert rules of docs/operations.md",
                // two streams instances with one identity
                "deploy/compose/compose.yaml|ENGAGE_INSTANCE_ID: streams-2|ENGAGE_INSTANCE_ID: streams-1|instance.id 'streams-1' is used by another instance",
                "deploy/k8s/streams.yaml|$(POD_NAME).engage-streams.engage.svc|engage-streams.engage.svc|is not the pod's name under the headless Service",
            })
    void aBrokenFileIsFound(String file, String from, String to, String expected, @TempDir Path copy)
            throws IOException {
        copyDeploymentFiles(copy);
        Path target = copy.resolve(file);
        String text = Files.readString(target);
        assertThat(text).as("the text this case breaks").contains(from);
        Files.writeString(target, text.replace(from, to));

        List<String> problems = new ManifestChecks(copy).run();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected));
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
