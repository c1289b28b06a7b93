package io.engage.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/** Settings under Confluent's keys, and the shared clients made from them. */
class RegistryClientConfigTest {

    @Test
    void defaultsAndSeveralUrls() {
        RegistryClientConfig c = RegistryClientConfig.of(" http://a:8081/ , https://b:8081 ,");
        assertThat(c.urls()).containsExactly("http://a:8081", "https://b:8081");
        assertThat(c.userInfo()).isNull();
        assertThat(c.maxAttempts()).isEqualTo(5);
        assertThat(c.initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void urlIsRequired() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> RegistryClientConfig.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void maxAttemptsMustBePositive() {
        assertThatThrownBy(() -> RegistryClientConfig.from(
                        Map.of(RegistryClientConfig.URL, "http://a", RegistryClientConfig.MAX_ATTEMPTS, "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.max.attempts");
    }

    @Test
    void userInfoFromEitherKeyAndKafkaPasswords() {
        assertThat(RegistryClientConfig.from(
                                Map.of(RegistryClientConfig.URL, "http://a", RegistryClientConfig.SR_USER_INFO, "u:p"))
                        .userInfo())
                .isEqualTo("u:p");
        assertThat(RegistryClientConfig.from(Map.of(
                                RegistryClientConfig.URL,
                                "http://a",
                                RegistryClientConfig.USER_INFO,
                                new Password("u:secret")))
                        .userInfo())
                .isEqualTo("u:secret");
        RegistryClientConfig withPasswords = RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "http://a", RegistryClientConfig.TRUSTSTORE_PASSWORD, new Password("tp")));
        assertThat(withPasswords.truststorePassword()).isEqualTo("tp");
        assertThat(withPasswords.toString()).doesNotContain("tp,").doesNotContain("=tp");
    }

    @Test
    void urlCredentialsAreUsedOnlyWhenTheSourceIsUrl() {
        RegistryClientConfig userInfoSource =
                RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, "http://u:p@host:8081"));
        assertThat(userInfoSource.userInfo()).isNull();
        assertThat(userInfoSource.urls()).containsExactly("http://host:8081");
        assertThat(userInfoSource.toString()).doesNotContain("u:p");
    }

    @Test
    void mockUrlsShareOneInMemoryRegistryPerScope() {
        try {
            SchemaRegistryClient a =
                    SchemaRegistryClients.forConfig(Map.of(RegistryClientConfig.URL, "mock://cfg-test"));
            SchemaRegistryClient b =
                    SchemaRegistryClients.forConfig(Map.of(RegistryClientConfig.URL, "mock://cfg-test"));
            SchemaRegistryClient other =
                    SchemaRegistryClients.forConfig(Map.of(RegistryClientConfig.URL, "mock://other-test"));
            assertThat(a)
                    .isInstanceOf(InMemorySchemaRegistryClient.class)
                    .isSameAs(b)
                    .isNotSameAs(other);
            SchemaRegistryClients.dropMockScope("mock://cfg-test");
            assertThat(SchemaRegistryClients.forConfig(Map.of(RegistryClientConfig.URL, "mock://cfg-test")))
                    .isNotSameAs(a);
        } finally {
            SchemaRegistryClients.dropMockScope("mock://cfg-test");
            SchemaRegistryClients.dropMockScope("mock://other-test");
        }
    }

    @Test
    void restClientsAreSharedPerConfiguration() {
        SchemaRegistryClient a =
                SchemaRegistryClients.forConfig(Map.of(RegistryClientConfig.URL, "http://shared-a:8081"));
        SchemaRegistryClient b =
                SchemaRegistryClients.forConfig(Map.of(RegistryClientConfig.URL, "http://shared-a:8081"));
        SchemaRegistryClient c = SchemaRegistryClients.forConfig(
                Map.of(RegistryClientConfig.URL, "http://shared-a:8081", RegistryClientConfig.USER_INFO, "x:y"));
        assertThat(a).isInstanceOf(RestSchemaRegistryClient.class).isSameAs(b).isNotSameAs(c);
    }
}
