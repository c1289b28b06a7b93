package io.engage.embedded.registry;

import org.apache.avro.Schema;

/** Avro parsing with a fresh parser per schema (a {@link Schema.Parser} remembers the names it has seen). */
final class AvroSchemas {
    private AvroSchemas() {}

    /** Parses {@code text}, validating field defaults; throws a runtime exception when it is not valid Avro. */
    static Schema parse(String text) {
        return new Schema.Parser().setValidateDefaults(true).parse(text);
    }

    /**
     * Parses a schema a client sent.
     *
     * @throws RegistryException 42201 when it is empty or not valid Avro
     */
    static Schema parseRequest(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        try {
            return parse(text);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw RegistryException.invalidSchema("Invalid schema " + abbreviate(text) + ", details: " + reason);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
