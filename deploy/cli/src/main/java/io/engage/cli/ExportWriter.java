package io.engage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** Writes exported records as JSON lines or CSV (docs/replay.md). */
abstract class ExportWriter implements AutoCloseable {
    /** The formats of {@code --format}. */
    enum Format {
        jsonl,
        csv
    }

    /** The columns every row starts with (where the record was); no value schema of the catalogue uses these names. */
    static final List<String> META = List.of("partition", "offset", "timestamp");

    abstract void write(ExportRecord r);

    @Override
    public abstract void close();

    /**
     * A writer of {@code format} to {@code out}.
     *
     * @param keySchema   the key's Avro schema, or null for a plain (string) key
     * @param valueSchema the value's Avro schema, or null for a plain value
     */
    static ExportWriter of(Format format, Writer out, Schema keySchema, Schema valueSchema) {
        return format == Format.jsonl ? new JsonLines(out) : new Csv(out, keySchema, valueSchema);
    }

    /** One JSON object per line: topic, partition, offset, timestamp, key, value (null: a tombstone), error. */
    static final class JsonLines extends ExportWriter {
        private final SequenceWriter json;

        JsonLines(Writer out) {
            try {
                this.json =
                        new ObjectMapper().writer().withRootValueSeparator("\n").writeValues(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void write(ExportRecord r) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("topic", r.topic());
            row.put("partition", r.partition());
            row.put("offset", r.offset());
            row.put("timestamp", r.timestamp().toString());
            row.put("key", ExportCells.plain(r.key()));
            row.put("value", ExportCells.plain(r.value()));
            if (r.error() != null) {
                row.put("error", r.error());
            }
            try {
                json.write(row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                json.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * A header row, then one row per record: partition, offset, timestamp, the key (one column, or one per field of
     * an Avro key, named {@code key.<field>}), one column per field of the value with nested records flattened with
     * dots, and {@code error} (empty unless the record could not be decoded). A tombstone has empty value cells.
     */
    static final class Csv extends ExportWriter {
        private final SequenceWriter csv;
        private final Schema keySchema;
        private final Schema valueSchema;
        private final List<String> columns;

        Csv(Writer out, Schema keySchema, Schema valueSchema) {
            this.keySchema = keySchema;
            this.valueSchema = valueSchema;
            List<String> cols = new ArrayList<>(META);
            cols.addAll(keySchema == null ? List.of("key") : ExportCells.columns(keySchema, "key"));
            cols.addAll(valueSchema == null ? List.of("value") : ExportCells.columns(valueSchema, ""));
            cols.add("error");
            this.columns = List.copyOf(cols);
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            columns.forEach(schema::addColumn);
            try {
                this.csv = new CsvMapper()
                        .writerFor(Map.class)
                        .with(schema.build())
                        .writeValues(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> columns() {
            return columns;
        }

        @Override
        void write(ExportRecord r) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("partition", r.partition());
            row.put("offset", r.offset());
            row.put("timestamp", r.timestamp().toString());
            if (keySchema == null) {
                row.put("key", ExportCells.plain(r.key()));
            } else {
                ExportCells.cells(keySchema, "key", r.key(), row);
            }
            if (valueSchema == null) {
                row.put("value", ExportCells.plain(r.value()));
            } else {
                ExportCells.cells(valueSchema, "", r.value(), row);
            }
            row.put("error", r.error());
            try {
                csv.write(row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                csv.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
