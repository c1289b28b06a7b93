package io.engage.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.engage.avro.RawReading;
import io.engage.schemas.testing.SchemaEdits;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The mock:// registry behaves like Confluent's for what the serdes rely on. */
class InMemorySchemaRegistryClientTest {
    private static final Schema V1 = RawReading.getClassSchema();
    private final InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();

    @Test
    void sameSchemaSameIdAcrossSubjects() {
        int a = client.register("a-value", V1);
        assertThat(client.register("a-value", V1)).isEqualTo(a);
        assertThat(client.register("b-value", V1)).isEqualTo(a);
        assertThat(client.versions("a-value")).containsExactly(1);
        assertThat(client.getById(a)).isEqualTo(V1);
        assertThat(client.lookup("b-value", V1)).isEqualTo(new SchemaMetadata("b-value", 1, a, V1));
    }

    @Test
    void anEqualInstanceFindsTheSameVersionButAnotherDocIsANewOne() {
        int id = client.register("s", V1);
        Schema copy = new Schema.Parser().parse(V1.toString());
        assertThat(client.register("s", copy)).isEqualTo(id);
        assertThat(client.lookup("s", copy)).isEqualTo(new SchemaMetadata("s", 1, id, V1));

        Schema otherDoc =
                new Schema.Parser().parse(V1.toString().replaceFirst("\"doc\":\"[^\"]*\"", "\"doc\":\"edited\""));
        assertThat(otherDoc)
                .as("Avro's equals ignores docs, the registry does not")
                .isEqualTo(V1);
        assertThat(client.register("s", otherDoc)).isNotEqualTo(id);
        assertThat(client.versions("s")).containsExactly(1, 2);
    }

    @Test
    void versionsAndLatest() {
        Schema v2 = SchemaEdits.withField(V1, "x", Schema.create(Schema.Type.INT), 0);
        int id1 = client.register("s", V1);
        int id2 = client.register("s", v2);
        assertThat(id2).isNotEqualTo(id1);
        assertThat(client.versions("s")).containsExactly(1, 2);
        assertThat(client.latest("s")).isEqualTo(new SchemaMetadata("s", 2, id2, v2));
        assertThat(client.version("s", 1).id()).isEqualTo(id1);
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> client.version("s", 3))
                        .errorCode())
                .isEqualTo(40402);
    }

    @Test
    void notFoundCodes() {
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> client.getById(99))
                        .errorCode())
                .isEqualTo(40403);
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> client.latest("none"))
                        .errorCode())
                .isEqualTo(40401);
        client.register("s", V1);
        SchemaRegistryException e = catchThrowableOfType(
                SchemaRegistryException.class, () -> client.lookup("s", SchemaEdits.withoutField(V1, "gatewayId")));
        assertThat(e.errorCode()).isEqualTo(40403);
        assertThat(e.isNotFound()).isTrue();
    }

    @Test
    void backwardIsTheDefaultAndRefusesAFieldWithoutDefault() {
        client.register("s", V1);
        Schema breaking = SchemaEdits.withField(V1, "x", Schema.create(Schema.Type.INT), null);
        assertThat(client.compatibility(null)).isEqualTo("BACKWARD");
        assertThat(client.isCompatible("s", breaking)).isFalse();
        IncompatibleSchemaException e =
                catchThrowableOfType(IncompatibleSchemaException.class, () -> client.register("s", breaking));
        assertThat(e.status()).isEqualTo(409);
        client.setCompatibility("s", "NONE");
        assertThat(client.register("s", breaking)).isPositive();
    }

    @Test
    void transitiveLevelsCheckEveryVersion() {
        Schema v1 = V1;
        Schema v2 = SchemaEdits.withoutField(V1, "gatewayId");
        // v3 brings gatewayId back as a required int: readable from v2 data? no (no default) -> build it so that
        // it is BACKWARD-compatible with v2 only by having a default, but incompatible with v1 by type.
        Schema v3 = SchemaEdits.withField(v2, "gatewayId", Schema.create(Schema.Type.INT), 0);
        client.setCompatibility("t", "BACKWARD_TRANSITIVE");
        client.register("t", v1);
        client.register("t", v2);
        assertThat(client.isCompatible("t", v3))
                .as("v3 cannot read v1's string gatewayId")
                .isFalse();
        assertThatThrownBy(() -> client.register("t", v3)).isInstanceOf(IncompatibleSchemaException.class);

        client.setCompatibility("n", "BACKWARD");
        client.register("n", v1);
        client.register("n", v2);
        assertThat(client.isCompatible("n", v3))
                .as("BACKWARD looks at the latest version only")
                .isTrue();
    }

    @Test
    void deleteSubject() {
        client.register("s", V1);
        assertThat(client.deleteSubject("s", false)).containsExactly(1);
        assertThat(client.subjects()).isEmpty();
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> client.deleteSubject("s", false))
                        .errorCode())
                .isEqualTo(40401);
    }
}
