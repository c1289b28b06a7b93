package io.engage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    @Test
    void tokensAuthenticateTheirRoleAndIndex() {
        ApiTokens t = ApiTokens.fromConfig(EngageConfig.of(Map.of(
                "auth.token.gateway", "gateway-aaaaaaaaaaaa, gateway-bbbbbbbbbbbb",
                "auth.token.admin", "admin-cccccccccccccc")));
        assertThat(t.authenticate("gateway-bbbbbbbbbbbb")).contains(new ApiTokens.Principal(ApiTokens.Role.gateway, 1));
        assertThat(t.authenticate("admin-cccccccccccccc")).contains(new ApiTokens.Principal(ApiTokens.Role.admin, 0));
        assertThat(t.authenticate("admin-ccccccccccccc")).isEmpty();
        assertThat(t.authenticate("")).isEmpty();
        assertThat(t.authenticate(null)).isEmpty();
        assertThat(t.configured(ApiTokens.Role.read)).isFalse();
    }

    @Test
    void anAuthorizationHeaderIsGrantedUnauthenticatedOrForbidden() {
        ApiTokens t = ApiTokens.fromConfig(EngageConfig.of(
                Map.of("auth.token.gateway", "gateway-aaaaaaaaaaaa", "auth.token.read", "read-dddddddddddddd")));
        assertThat(t.access("Bearer read-dddddddddddddd", ApiTokens.Role.read))
                .isEqualTo(new ApiTokens.Access.Granted(new ApiTokens.Principal(ApiTokens.Role.read, 0)));
        assertThat(t.access("bearer  read-dddddddddddddd ", ApiTokens.Role.read))
                .isInstanceOf(ApiTokens.Access.Granted.class);
        assertThat(t.access(null, ApiTokens.Role.read))
                .isEqualTo(new ApiTokens.Access.Unauthenticated("missing bearer token"));
        assertThat(t.access("Bearer nope", ApiTokens.Role.read))
                .isEqualTo(new ApiTokens.Access.Unauthenticated("invalid bearer token"));
        assertThat(t.access("Basic read-dddddddddddddd", ApiTokens.Role.read))
                .isInstanceOf(ApiTokens.Access.Unauthenticated.class);
        assertThat(t.access("Bearer gateway-aaaaaaaaaaaa", ApiTokens.Role.read))
                .isEqualTo(new ApiTokens.Access.Forbidden("this endpoint needs a read token, not a gateway token"));
    }

    @Test
    void toStringNeverShowsTokens() {
        ApiTokens t = ApiTokens.generate();
        String s = t.toString();
        for (ApiTokens.Role r : ApiTokens.Role.values()) {
            assertThat(s).doesNotContain(t.first(r).orElseThrow());
        }
    }

    @Test
    void shortTokensAreRefused() {
        assertThatThrownBy(() -> ApiTokens.fromConfig(EngageConfig.of(Map.of("auth.token.admin", "secret"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.token.admin");
    }

    @Test
    void theLocalStackGeneratesOnceAndKeepsTheFile(@TempDir Path dir) throws Exception {
        ApiTokens first = ApiTokens.localStack(EngageConfig.defaults(), dir);
        String json = Files.readString(dir.resolve("tokens.json"));
        assertThat(json).contains("\"gateway\"", "\"admin\"", "\"read\"");
        ApiTokens second = ApiTokens.localStack(EngageConfig.defaults(), dir);
        for (ApiTokens.Role r : ApiTokens.Role.values()) {
            assertThat(second.first(r)).isEqualTo(first.first(r));
            assertThat(first.first(r).orElseThrow()).hasSizeGreaterThanOrEqualTo(40);
        }
        assertThat(ApiTokens.generate().first(ApiTokens.Role.admin)).isNotEqualTo(first.first(ApiTokens.Role.admin));
    }

    @Test
    void theTokensFileAndADirectoryMadeForItAreOwnerOnly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("new").resolve("var");
        ApiTokens.localStack(EngageConfig.defaults(), data);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(data.resolve("tokens.json"))))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .as("the directory created for the file")
                .isEqualTo("rwx------");
    }

    @Test
    void gatewayTokensCarryTheNamesTheyAreConfiguredWith() {
        ApiTokens t = ApiTokens.fromConfig(EngageConfig.of(Map.of(
                "auth.token.gateway",
                "phone-app:aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb,clinic-1:cccccccccccccccccccc")));
        assertThat(t.names(ApiTokens.Role.gateway)).containsExactly("phone-app", "gateway-1", "clinic-1");
        assertThat(t.authenticate("aaaaaaaaaaaaaaaaaaaa"))
                .contains(new ApiTokens.Principal(ApiTokens.Role.gateway, 0, "phone-app"));
        assertThat(t.authenticate("phone-app:aaaaaaaaaaaaaaaaaaaa"))
                .as("the name is not part of the token")
                .isEmpty();
        assertThat(t.authenticate("bbbbbbbbbbbbbbbbbbbb").orElseThrow().name()).isEqualTo("gateway-1");
        assertThatThrownBy(() -> ApiTokens.fromConfig(
                        EngageConfig.of(Map.of("auth.token.gateway", "a:aaaaaaaaaaaaaaaaaaaa,a:bbbbbbbbbbbbbbbbbbbb"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("named 'a'");
    }
}
