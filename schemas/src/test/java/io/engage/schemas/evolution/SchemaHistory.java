package io.engage.schemas.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * The committed history of every top-level schema ({@code schema-history/<full name>/v<N>.avsc}) and the
 * current schemas in {@code src/main/avro}, with the BACKWARD check between versions.
 */
final class SchemaHistory {
    static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    private SchemaHistory() {}

    /** The text of a history file: {@code Schema.toString(true)}, named types inlined (deprecated in 1.12, still exact). */
    @SuppressWarnings("deprecation")
    static String pretty(Schema schema) {
        return schema.toString(true);
    }

    /** A current top-level schema and the file it came from. */
    record Current(Schema schema, Path file) {}

    /**
     * Parses {@code avroDir/common/*.avsc} and then {@code avroDir/*.avsc} the way the avro-maven-plugin does
     * (common types imported first; top-level files may refer to each other) and returns the top-level
     * schemas by full name.
     */
    static Map<String, Current> current(Path avroDir) {
        Map<String, Schema> known = new LinkedHashMap<>();
        parseAll(files(avroDir.resolve("common")), known, new LinkedHashMap<>());
        Map<String, Current> topLevel = new TreeMap<>();
        parseAll(files(avroDir), known, topLevel);
        return topLevel;
    }

    private static void parseAll(List<Path> files, Map<String, Schema> known, Map<String, Current> out) {
        List<Path> pending = new ArrayList<>(files);
        while (!pending.isEmpty()) {
            List<Path> failed = new ArrayList<>();
            Map<Path, String> errors = new LinkedHashMap<>();
            for (Path f : pending) {
                try {
                    Schema.Parser parser = new Schema.Parser().addTypes(known.values());
                    Schema s = parser.parse(f.toFile());
                    known.putAll(parser.getTypes());
                    out.put(s.getFullName(), new Current(s, f));
                } catch (SchemaParseException e) {
                    failed.add(f); // probably refers to a type from a file not parsed yet
                    errors.put(f, e.getMessage());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (failed.size() == pending.size()) {
                throw new IllegalStateException("cannot parse " + errors);
            }
            pending = failed;
        }
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".avsc"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The versions of each schema in {@code historyDir}, oldest first; fails on gaps in the numbering. */
    static Map<String, List<Schema>> load(Path historyDir) {
        Map<String, List<Schema>> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(historyDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                out.put(dir.getFileName().toString(), versions(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<Schema> versions(Path dir) throws IOException {
        TreeMap<Integer, Path> byVersion = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Matcher m = VERSION_FILE.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    throw new IllegalStateException("unexpected file " + f + ": history files are named v<N>.avsc");
                }
                byVersion.put(Integer.parseInt(m.group(1)), f);
            }
        }
        List<Schema> out = new ArrayList<>();
        int expected = 1;
        for (Map.Entry<Integer, Path> e : byVersion.entrySet()) {
            if (e.getKey() != expected) {
                throw new IllegalStateException(
                        dir + ": versions must be v1, v2, ... without gaps; v" + expected + ".avsc is missing");
            }
            Schema s = new Schema.Parser().parse(e.getValue().toFile());
            if (!s.getFullName().equals(dir.getFileName().toString())) {
                throw new IllegalStateException(
                        e.getValue() + " holds " + s.getFullName() + ", not " + dir.getFileName());
            }
            out.add(s);
            expected++;
        }
        return out;
    }

    /** Turns a JSON-pointer location such as {@code /fields/2/type} into a readable path such as {@code RawReading.value}. */
    static String fieldPath(Schema schema, String location) {
        StringBuilder out = new StringBuilder(schema.getName());
        Schema current = schema;
        String[] tokens = location.split("/");
        for (int i = 1; i < tokens.length && current != null; i++) {
            String t = tokens[i];
            if (t.equals("fields") && i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                Schema.Field f = current.getFields().get(Integer.parseInt(tokens[++i]));
                out.append('.').append(f.name());
                current = f.schema();
            } else if (t.equals("items") && current.getType() == Schema.Type.ARRAY) {
                out.append("[]");
                current = current.getElementType();
            } else if (t.equals("values") && current.getType() == Schema.Type.MAP) {
                out.append("{}");
                current = current.getValueType();
            } else if (t.matches("[0-9]+") && current.getType() == Schema.Type.UNION) {
                current = current.getTypes().get(Integer.parseInt(t));
                out.append('<').append(current.getName()).append('>');
            }
        }
        return out.toString();
    }

    /**
     * BACKWARD_TRANSITIVE: each version must read data written with every earlier version. Returns one line
     * per violation (empty when the history is sound).
     */
    static List<String> backwardProblems(String name, List<Schema> versions) {
        List<String> problems = new ArrayList<>();
        for (int reader = 1; reader < versions.size(); reader++) {
            for (int writer = 0; writer < reader; writer++) {
                SchemaPairCompatibility c =
                        SchemaCompatibility.checkReaderWriterCompatibility(versions.get(reader), versions.get(writer));
                if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    Schema readerSchema = versions.get(reader);
                    problems.add(name + " v" + (reader + 1) + " cannot read data written with v" + (writer + 1) + ": "
                            + c.getResult().getIncompatibilities().stream()
                                    .map(i -> i.getType() + " at " + i.getLocation() + " = "
                                            + fieldPath(readerSchema, i.getLocation()) + " (" + i.getMessage() + ")")
                                    .sorted(Comparator.naturalOrder())
                                    .toList());
                }
            }
        }
        return problems;
    }
}
