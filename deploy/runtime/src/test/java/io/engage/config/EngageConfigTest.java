package io.engage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngageConfigTest {

    @Test
    void everySpecKeyHasItsDocumentedDefault() {
        EngageConfig c = EngageConfig.defaults();
        assertThat(c.get("data.dir")).isEqualTo("./var");
        assertThat(c.intValue("ingest.port")).isEqualTo(8080);
        assertThat(c.intValue("query.port")).isEqualTo(8090);
        assertThat(c.intValue("registry.port")).isEqualTo(8081);
        assertThat(c.intValue("broker.port")).isEqualTo(9092);
        assertThat(c.lateHorizon()).isEqualTo(Duration.ofDays(7));
        assertThat(c.clockSkewTolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(c.get("commit.interval.ms")).isNotNull();
        assertThat(c.topicPrefix()).isEmpty();
        assertThat(c.bootstrapServers()).isEmpty();
        assertThat(c.schemaRegistryUrl()).isEmpty();
        assertThat(EngageConfig.DEFAULTS)
                .containsKeys(
                        "bootstrap.servers",
                        "schema.registry.url",
                        "data.dir",
                        "ingest.port",
                        "query.port",
                        "registry.port",
                        "broker.port",
                        "late.horizon",
                        "clock.skew.tolerance",
                        "processing.guarantee",
                        "commit.interval.ms",
                        "topic.prefix");
    }

    @Test
    void fileThenEnvironmentThenFlagsOverride(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("engage.properties");
        Files.writeString(file, "ingest.port=7000\nquery.port=7001\nlate.horizon=P3D\nkafka.security.protocol=SSL\n");
        Map<String, String> env = Map.of(
                "ENGAGE_QUERY_PORT", "7101",
                "ENGAGE_LATE_HORIZON", "P2D",
                "ENGAGE_KAFKA_SASL_MECHANISM", "PLAIN",
                "ENGAGE_JAVA_OPTS", "-Xmx1g",
                "PATH", "/usr/bin");
        EngageConfig c = EngageConfig.load(file, env, Map.of("late.horizon", "P1D"));

        assertThat(c.intValue("ingest.port")).isEqualTo(7000);
        assertThat(c.source("ingest.port")).startsWith("file");
        assertThat(c.intValue("query.port")).isEqualTo(7101);
        assertThat(c.source("query.port")).isEqualTo("environment ENGAGE_QUERY_PORT");
        assertThat(c.lateHorizon()).isEqualTo(Duration.ofDays(1));
        assertThat(c.source("late.horizon")).isEqualTo("flag");
        assertThat(c.kafkaPassThrough())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void environmentNameMapsDotsAndDashes() {
        assertThat(EngageConfig.envName("clock.skew.tolerance")).isEqualTo("ENGAGE_CLOCK_SKEW_TOLERANCE");
        assertThat(EngageConfig.envName("a-b.c")).isEqualTo("ENGAGE_A_B_C");
        EngageConfig c = EngageConfig.load(null, Map.of("ENGAGE_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"), Map.of());
        assertThat(c.bootstrapServers()).contains("k1:9092,k2:9092");
    }

    @Test
    void invalidValuesNameTheKeyAndTheSource() {
        assertThatThrownBy(() -> EngageConfig.load(null, Map.of("ENGAGE_LATE_HORIZON", "seven days"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("late.horizon")
                .hasMessageContaining("ENGAGE_LATE_HORIZON")
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> EngageConfig.of(Map.of("ingest.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.port");
        assertThatThrownBy(() -> EngageConfig.of(Map.of("processing.guarantee", "exactly_once")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("exactly_once_v2");
        assertThatThrownBy(() -> EngageConfig.of(Map.of("topic.prefix", "a b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic.prefix");
        assertThatThrownBy(() -> EngageConfig.of(Map.of("ingest.prot", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key 'ingest.prot'");
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> EngageConfig.load(dir.resolve("nope.properties"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.properties");
    }

    @Test
    void secretsAreMaskedWhenDescribed() {
        EngageConfig c = EngageConfig.of(Map.of(
                "kafka.ssl.truststore.password",
                "hunter2",
                "basic.auth.user.info",
                "u:p",
                "schema.registry.url",
                "http://r:8081"));
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("u:p").contains("http://r:8081");
        assertThat(c.registryClientConfigs())
                .containsEntry("schema.registry.url", "http://r:8081")
                .containsEntry("basic.auth.user.info", "u:p");
    }

    @Test
    void withReplacesValuesAndKeepsTheRest() {
        EngageConfig c = EngageConfig.of(Map.of("topic.prefix", "t1."));
        EngageConfig d = c.with(Map.of("bootstrap.servers", "localhost:1234"));
        assertThat(d.bootstrapServers()).contains("localhost:1234");
        assertThat(d.topicPrefix()).isEqualTo("t1.");
        assertThat(c.bootstrapServers()).isEmpty();
    }

    @Test
    void theLocalStackBindsToLoopbackUnlessABindAddressWasSet() {
        EngageConfig local = EngageConfig.defaults().withLoopbackUnlessSet();
        assertThat(EngageConfig.defaults().get(EngageConfig.INGEST_BIND_ADDRESS))
                .isEqualTo("0.0.0.0");
        assertThat(local.get(EngageConfig.INGEST_BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(local.get(EngageConfig.QUERY_BIND_ADDRESS)).isEqualTo("127.0.0.1");
        EngageConfig chosen = EngageConfig.load(null, Map.of(), Map.of(EngageConfig.QUERY_BIND_ADDRESS, "0.0.0.0"))
                .withLoopbackUnlessSet();
        assertThat(chosen.get(EngageConfig.QUERY_BIND_ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(chosen.get(EngageConfig.INGEST_BIND_ADDRESS)).isEqualTo("127.0.0.1");
    }
}
