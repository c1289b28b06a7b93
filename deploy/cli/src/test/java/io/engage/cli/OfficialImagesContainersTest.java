package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.config.EngageConfig;
import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The end-to-end path against the official images instead of the embedded ones (docs/contributing.md, "Build and
 * test"): Apache Kafka ({@code apache/kafka}, KRaft) and Confluent's Schema Registry
 * ({@code confluentinc/cp-schema-registry}). This is where the hand-written registry client and serde meet
 * Confluent's own server. Tagged {@code containers}: {@code mvn -B verify -Pcontainers}; without a Docker engine the
 * tests are reported as skipped, not passed.
 */
@Tag("containers")
@Testcontainers(disabledWithoutDocker = true)
class OfficialImagesContainersTest {
    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.3.1"))
            .withNetwork(NETWORK)
            .withListener("kafka:19092");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>(
                    DockerImageName.parse("confluentinc/cp-schema-registry:8.0.0"))
            .withNetwork(NETWORK)
            .withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .dependsOn(KAFKA)
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));

    private static String registryUrl() {
        return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
    }

    @Test
    void aReadingGoesFromTheGatewayToTheQueryApiOnTheOfficialImages(@TempDir Path tmp) throws Exception {
        Map<String, String> settings = new HashMap<>(EndToEndFlow.TOKENS);
        settings.put("bootstrap.servers", KAFKA.getBootstrapServers());
        settings.put("schema.registry.url", registryUrl());
        settings.put("data.dir", tmp.resolve("var").toString());
        settings.put("ingest.port", "0");
        settings.put("query.port", "0");
        EndToEndFlow.readingFromGatewayToQueryApi(EngageConfig.of(settings));

        SchemaRegistryClient client = SchemaRegistryClients.forConfig(Map.of("schema.registry.url", registryUrl()));
        assertThat(client.subjects())
                .as("subjects Confluent's registry holds after the serdes registered through our client")
                .contains(
                        "readings.raw-value",
                        "readings.normalized-value",
                        "activity.daily-key",
                        "activity.daily-value");

        // the analysts' export against Confluent's registry: every schema looked up by the id in the record
        CliRun export = CliRun.of(
                "replay",
                "export",
                "--topic",
                "activity.daily",
                "--format",
                "jsonl",
                "--bootstrap-servers",
                KAFKA.getBootstrapServers(),
                "--schema-registry-url",
                registryUrl());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out().lines())
                .as("activity.daily exported through Confluent's registry")
                .anySatisfy(line ->
                        assertThat(line).contains("\"participantId\":\"p-e2e\"").contains("\"steps\":1234"));
    }
}
