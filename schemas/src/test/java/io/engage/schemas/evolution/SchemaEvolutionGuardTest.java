package io.engage.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.engage.avro.RawReading;
import io.engage.schemas.testing.SchemaEdits;
import io.engage.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our schemas evolve BACKWARD-compatibly (docs/schema-registry.md): every top-level schema in {@code src/main/avro} must
 * equal the newest version committed under {@code src/test/resources/schema-history/<full name>/}, and every
 * version there must read data written with all earlier ones. See the README in that directory.
 *
 * <p>Run with {@code -Dengage.schema-history.write=true} to write the missing {@code v<N+1>.avsc} files.
 */
class SchemaEvolutionGuardTest {
    static final Path AVRO_DIR = Path.of("src/main/avro");
    static final Path HISTORY_DIR = Path.of("src/test/resources/schema-history");
    static final String WRITE_PROPERTY = "engage.schema-history.write";

    @Test
    void everyCurrentSchemaIsTheLatestCommittedVersion() throws IOException {
        Map<String, SchemaHistory.Current> current = SchemaHistory.current(AVRO_DIR);
        Map<String, List<Schema>> history = SchemaHistory.load(HISTORY_DIR);
        boolean write = Boolean.getBoolean(WRITE_PROPERTY);

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, SchemaHistory.Current> e : current.entrySet()) {
            String name = e.getKey();
            Schema schema = e.getValue().schema();
            List<Schema> versions = history.getOrDefault(name, List.of());
            if (!versions.isEmpty() && versions.get(versions.size() - 1).equals(schema)) {
                continue;
            }
            Path toAdd = HISTORY_DIR.resolve(name).resolve("v" + (versions.size() + 1) + ".avsc");
            if (write) {
                Files.createDirectories(toAdd.getParent());
                Files.writeString(toAdd, SchemaHistory.pretty(schema) + "\n", StandardCharsets.UTF_8);
                continue;
            }
            problems.add((versions.isEmpty()
                            ? name + " (" + e.getValue().file() + ") has no committed history"
                            : name + " (" + e.getValue().file() + ") differs from its latest committed version v"
                                    + versions.size())
                    + ".\n  If the change is intended, add schemas/" + toAdd + " containing:\n"
                    + SchemaHistory.pretty(schema) + "\n");
        }
        for (String name : history.keySet()) {
            if (!current.containsKey(name)) {
                problems.add(HISTORY_DIR.resolve(name) + " has no schema in " + AVRO_DIR
                        + ": a top-level schema was removed or renamed, which breaks its readers");
            }
        }
        if (!problems.isEmpty()) {
            fail("Schema changes must be recorded in the schema history (see " + HISTORY_DIR.resolve("README.md")
                    + "); to write the files below, run: mvn -B -pl schemas test -Dtest=SchemaEvolutionGuardTest -D"
                    + WRITE_PROPERTY + "=true\n\n" + String.join("\n", problems));
        }
    }

    @Test
    void everyHistoryVersionReadsAllEarlierVersions() {
        Map<String, List<Schema>> history = SchemaHistory.load(HISTORY_DIR);
        assertThat(history).isNotEmpty();
        List<String> problems = history.entrySet().stream()
                .flatMap(e -> SchemaHistory.backwardProblems(e.getKey(), e.getValue()).stream())
                .toList();
        assertThat(problems)
                .as("BACKWARD-incompatible schema history: a new version must read data written with"
                        + " every earlier version (add defaults to new fields, do not change types)")
                .isEmpty();
    }

    /** The guard covers every top-level schema, hence every Avro type of the topic catalogue. */
    @Test
    void everyTopLevelSchemaIsGuardedAndGenerated() throws ClassNotFoundException {
        Map<String, SchemaHistory.Current> current = SchemaHistory.current(AVRO_DIR);
        try (var files = Files.list(AVRO_DIR)) {
            assertThat(current).hasSize((int)
                    files.filter(p -> p.toString().endsWith(".avsc")).count());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Set<String> catalogueTypes = Topics.all().stream()
                .flatMap(s -> java.util.stream.Stream.of(s.keyType(), s.valueType()))
                .filter(SpecificRecord.class::isAssignableFrom)
                .map(Class::getName)
                .collect(Collectors.toSet());
        assertThat(current.keySet()).containsAll(catalogueTypes);
        for (String name : current.keySet()) {
            Class<?> generated = Class.forName(name);
            assertThat(SpecificRecord.class).isAssignableFrom(generated);
            // the generated class was made from the same file (it also carries avro.java.string properties)
            Schema classSchema = org.apache.avro.specific.SpecificData.get().getSchema(generated);
            assertThat(org.apache.avro.SchemaNormalization.parsingFingerprint64(classSchema))
                    .as(name)
                    .isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(
                            current.get(name).schema()));
        }
    }

    // ---- the guard itself works: a history with an incompatible step is caught ----

    private static final Schema V1 = SchemaHistory.current(AVRO_DIR)
            .get(RawReading.getClassSchema().getFullName())
            .schema();

    private static List<String> problemsOf(Path dir, Schema... versions) throws IOException {
        String name = versions[0].getFullName();
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        for (int i = 0; i < versions.length; i++) {
            Files.writeString(d.resolve("v" + (i + 1) + ".avsc"), SchemaHistory.pretty(versions[i]));
        }
        Map<String, List<Schema>> loaded = SchemaHistory.load(dir);
        return SchemaHistory.backwardProblems(name, loaded.get(name));
    }

    @Test
    void guardRejectsANewFieldWithoutDefault(@TempDir Path dir) throws IOException {
        Schema v2 = SchemaEdits.withField(V1, "firmware", Schema.create(Schema.Type.STRING), null);
        assertThat(problemsOf(dir, V1, v2))
                .singleElement()
                .asString()
                .contains("io.engage.avro.RawReading v2 cannot read data written with v1")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("firmware");
    }

    @Test
    void guardRejectsAChangedFieldType(@TempDir Path dir) throws IOException {
        Schema v2 = SchemaEdits.withFieldType(V1, "value", Schema.create(Schema.Type.STRING));
        assertThat(problemsOf(dir, V1, v2))
                .singleElement()
                .asString()
                .contains("TYPE_MISMATCH")
                .contains("RawReading.value");
    }

    @Test
    void guardRejectsARemovedEnumSymbol(@TempDir Path dir) throws IOException {
        Schema e1 = Schema.createEnum("Colour", null, "x", List.of("red", "green", "blue"));
        Schema e2 = Schema.createEnum("Colour", null, "x", List.of("red", "green"));
        Schema r1 = Schema.createRecord("Paint", null, "x", false, List.of(new Schema.Field("colour", e1)));
        Schema r2 = Schema.createRecord("Paint", null, "x", false, List.of(new Schema.Field("colour", e2)));
        assertThat(problemsOf(dir, r1, r2)).singleElement().asString().contains("MISSING_ENUM_SYMBOLS");
    }

    @Test
    void guardChecksTransitively(@TempDir Path dir) throws IOException {
        // v2 drops gatewayId (fine), v3 brings it back as an int with a default: readable from v2, not from v1
        Schema v2 = SchemaEdits.withoutField(V1, "gatewayId");
        Schema v3 = SchemaEdits.withField(v2, "gatewayId", Schema.create(Schema.Type.INT), 0);
        assertThat(problemsOf(dir, V1, v2, v3))
                .singleElement()
                .asString()
                .contains("v3 cannot read data written with v1");
    }

    @Test
    void guardAcceptsBackwardCompatibleChanges(@TempDir Path dir) throws IOException {
        Schema v2 = SchemaEdits.withField(V1, "firmware", Schema.create(Schema.Type.STRING), "unknown");
        Schema v3 = SchemaEdits.withoutField(v2, "gatewayId"); // readers may drop fields under BACKWARD
        assertThat(problemsOf(dir, V1, v2, v3)).isEmpty();
    }

    @Test
    void guardRefusesGapsInTheNumbering(@TempDir Path dir) throws IOException {
        Path d = dir.resolve(V1.getFullName());
        Files.createDirectories(d);
        Files.writeString(d.resolve("v1.avsc"), SchemaHistory.pretty(V1));
        Files.writeString(d.resolve("v3.avsc"), SchemaHistory.pretty(V1));
        assertThatThrownBy(() -> SchemaHistory.load(dir)).hasMessageContaining("v2.avsc is missing");
    }

    @Test
    void guardRefusesAFileInTheWrongDirectory(@TempDir Path dir) throws IOException {
        Path d = dir.resolve("io.engage.avro.Other");
        Files.createDirectories(d);
        Files.writeString(d.resolve("v1.avsc"), SchemaHistory.pretty(V1));
        assertThatThrownBy(() -> SchemaHistory.load(dir)).hasMessageContaining("holds io.engage.avro.RawReading");
    }
}
