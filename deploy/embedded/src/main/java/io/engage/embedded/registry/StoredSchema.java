package io.engage.embedded.registry;

import org.apache.avro.Schema;

/**
 * One version of one subject, as stored in the schemas topic.
 *
 * @param subject   the subject
 * @param version   its version in the subject (1, 2, ...)
 * @param id        the global schema id
 * @param schema    the schema text as stored (the canonical form for what this registry wrote)
 * @param canonical the parsed Avro schema's {@code toString()}, used to recognise the same schema; the raw
 *                  text when it does not parse as Avro (possible only in a topic another registry wrote)
 * @param parsed    the parsed Avro schema, or {@code null} when it does not parse
 * @param deleted   soft-deleted
 */
record StoredSchema(
        String subject, int version, int id, String schema, String canonical, Schema parsed, boolean deleted) {

    StoredSchema asDeleted() {
        return deleted ? this : new StoredSchema(subject, version, id, schema, canonical, parsed, true);
    }

    /** Parses {@code schema} leniently: text that is not valid Avro is kept with {@code parsed == null}. */
    static StoredSchema of(String subject, int version, int id, String schema, boolean deleted) {
        Schema parsed;
        try {
            parsed = AvroSchemas.parse(schema);
        } catch (RuntimeException e) {
            parsed = null;
        }
        return new StoredSchema(
                subject, version, id, schema, parsed == null ? schema : parsed.toString(), parsed, deleted);
    }
}
