package io.engage.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RawReading;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Each schema instance is rendered once; texts stay exact where Avro's equality is looser than the registry's. */
class SchemaTextsTest {
    private final AtomicInteger renderings = new AtomicInteger();
    private final SchemaTexts texts = new SchemaTexts(10, s -> {
        renderings.incrementAndGet();
        return s.toString();
    });

    private static Schema record(String doc) {
        return new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"R\",\"doc\":\"" + doc
                        + "\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
    }

    @Test
    void anInstanceIsRenderedOnce() {
        Schema schema = RawReading.getClassSchema();
        assertThat(texts.of(schema)).isEqualTo(schema.toString());
        assertThat(texts.of(schema)).isEqualTo(schema.toString());
        assertThat(renderings).hasValue(1);
    }

    @Test
    void equalInstancesShareOneText() {
        Schema one = RawReading.getClassSchema();
        Schema copy = new Schema.Parser().parse(one.toString());
        assertThat(copy).isNotSameAs(one);
        assertThat(texts.of(copy)).isSameAs(texts.of(one));
    }

    @Test
    void schemasThatAvroCallsEqualButDifferInDocKeepTheirOwnText() {
        Schema a = record("one");
        Schema b = record("two");
        assertThat(a).as("Avro's equals ignores docs").isEqualTo(b);
        assertThat(texts.of(a)).contains("one").doesNotContain("two");
        assertThat(texts.of(b)).contains("two").doesNotContain("one");
    }

    @Test
    void aPropAddedAfterTheFirstRenderingIsSeen() {
        Schema schema = record("props");
        String before = texts.of(schema);
        schema.addProp("owner", "ingest");
        assertThat(texts.of(schema)).isNotEqualTo(before).contains("\"owner\":\"ingest\"");
    }

    @Test
    void staysWithinItsCapacity() {
        SchemaTexts small = new SchemaTexts(2, s -> {
            renderings.incrementAndGet();
            return s.toString();
        });
        List<Schema> schemas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            schemas.add(record("r" + i));
            small.of(schemas.get(i));
        }
        assertThat(renderings).hasValue(3);
        // the third instance started a fresh cache: it is remembered, the first is rendered again
        small.of(schemas.get(2));
        assertThat(renderings).hasValue(3);
        assertThat(small.of(schemas.get(0))).isEqualTo(schemas.get(0).toString());
        assertThat(renderings).hasValue(4);
    }
}
