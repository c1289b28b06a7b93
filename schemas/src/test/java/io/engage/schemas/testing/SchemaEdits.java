package io.engage.schemas.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** Copies of a record schema with one field added or removed, for evolution tests. */
public final class SchemaEdits {
    private SchemaEdits() {}

    /**
     * {@code record} plus a last field {@code name}; {@code defaultValue} null means no default (use
     * {@link Schema.Field#NULL_DEFAULT_VALUE} for a null default).
     */
    public static Schema withField(Schema record, String name, Schema type, Object defaultValue) {
        List<Schema.Field> fields = copy(record.getFields());
        fields.add(
                defaultValue == null
                        ? new Schema.Field(name, type, null)
                        : new Schema.Field(name, type, null, defaultValue));
        return record(record, fields);
    }

    /** {@code record} without field {@code name}. */
    public static Schema withoutField(Schema record, String name) {
        List<Schema.Field> fields = copy(record.getFields());
        if (!fields.removeIf(f -> f.name().equals(name))) {
            throw new IllegalArgumentException(record.getFullName() + " has no field " + name);
        }
        return record(record, fields);
    }

    /** {@code record} with field {@code name} given another type (and no default). */
    public static Schema withFieldType(Schema record, String name, Schema type) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(
                    f.name().equals(name)
                            ? new Schema.Field(f.name(), type, f.doc())
                            : new Schema.Field(f, f.schema()));
        }
        return record(record, fields);
    }

    private static List<Schema.Field> copy(List<Schema.Field> fields) {
        List<Schema.Field> out = new ArrayList<>();
        for (Schema.Field f : fields) {
            out.add(new Schema.Field(f, f.schema()));
        }
        return out;
    }

    private static Schema record(Schema template, List<Schema.Field> fields) {
        Schema s = Schema.createRecord(template.getName(), template.getDoc(), template.getNamespace(), false, fields);
        template.getObjectProps().forEach(s::addProp);
        return s;
    }
}
