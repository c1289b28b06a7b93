package io.engage.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's element parser reads readings straight from the tokens, with the answers of docs/ingest.md. */
class ReadingParserTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-25T10:00:00Z");

    /** The array loop of the readings route, over {@link ReadingParser#element}. */
    private static List<ParsedReading> parse(String body) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            List<ParsedReading> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                out.add(ReadingParser.element(p, t, out.size(), "trk-1", RECEIVED, "gateway-0"));
            }
            assertThat(p.nextToken()).isNull();
            return out;
        }
    }

    private static String reading(String extra) {
        return "{\"metric\":\"steps\",\"value\":812,\"unit\":\"steps\",\"start\":\"2026-11-25T09:00:00+01:00\","
                + "\"end\":\"2026-11-25T10:00:00+01:00\"" + extra + "}";
    }

    @Test
    void aWellFormedElementBecomesTheRawReadingOfTheDevice() throws IOException {
        List<ParsedReading> parsed = parse("[" + reading(",\"sourceRecordId\":\"fitbit-123\"") + ","
                + "{\"end\":\"2026-11-25T10:00:00Z\",\"unit\":\"km\",\"value\":0.61,\"metric\":\"distance\","
                + "\"start\":\"2026-11-25T09:00:00Z\",\"sourceRecordId\":null}]");

        assertThat(parsed).hasSize(2).allMatch(ParsedReading::parsed);
        RawReading steps = parsed.get(0).reading();
        assertThat(steps.getDeviceId()).isEqualTo("trk-1");
        assertThat(steps.getMetric()).isEqualTo("steps");
        assertThat(steps.getValue()).isEqualTo(812.0);
        assertThat(steps.getUnit()).isEqualTo("steps");
        assertThat(steps.getStart()).isEqualTo("2026-11-25T09:00:00+01:00");
        assertThat(steps.getEnd()).isEqualTo("2026-11-25T10:00:00+01:00");
        assertThat(steps.getSourceRecordId()).isEqualTo("fitbit-123");
        assertThat(steps.getReceivedAt()).isEqualTo(RECEIVED);
        assertThat(steps.getGatewayId()).isEqualTo("gateway-0");
        RawReading distance = parsed.get(1).reading();
        assertThat(distance.getValue()).isEqualTo(0.61);
        assertThat(distance.getSourceRecordId()).isNull();
        assertThat(parsed.get(1).index()).isEqualTo(1);
    }

    @Test
    void eachBadElementIsMalformedAtItsIndexAndTheOthersGoOn() throws IOException {
        List<ParsedReading> parsed = parse("["
                + "\"not an object\","
                + "[1,{\"a\":[2,3]}],"
                + reading(",\"floors\":{\"nested\":[1,2]},\"other\":1") + ","
                + "{\"value\":1,\"unit\":\"steps\",\"start\":\"a\",\"end\":\"b\"},"
                + "{\"metric\":\"steps\",\"value\":1,\"unit\":5,\"start\":\"a\",\"end\":\"b\"},"
                + "{\"metric\":\"steps\",\"value\":\"12\",\"unit\":\"steps\",\"start\":\"a\",\"end\":\"b\"},"
                + "{\"metric\":\"steps\",\"value\":null,\"unit\":\"steps\",\"start\":\"a\",\"end\":\"b\"},"
                + reading(",\"sourceRecordId\":7") + ","
                + "null,"
                + "{\"metric\":\"steps\",\"unit\":\"steps\",\"start\":{\"t\":1},\"end\":\"b\",\"value\":[1]},"
                + reading("")
                + "]");

        assertThat(parsed).extracting(ParsedReading::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(parsed.subList(0, 10)).allMatch(r -> r.reason() == RejectReason.MALFORMED);
        assertThat(parsed)
                .extracting(ParsedReading::detail)
                .containsExactly(
                        "element is not a JSON object",
                        "element is not a JSON object",
                        "unknown field 'floors'",
                        "missing field 'metric'",
                        "field 'unit' must be a string",
                        "field 'value' must be a number",
                        "missing field 'value'",
                        "field 'sourceRecordId' must be a string",
                        "element is not a JSON object",
                        "field 'start' must be a string",
                        null);
        assertThat(parsed.get(10).parsed()).isTrue();
    }

    @Test
    void aFieldGivenTwiceAnywhereInAnElementFailsTheWholeBody() {
        assertThatThrownBy(() -> parse("[" + reading(",\"metric\":\"distance\"") + "]"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Duplicate field 'metric'");
        assertThatThrownBy(() -> parse("[" + reading(",\"extra\":{\"a\":1,\"a\":2}") + "]"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void jsonThatIsNotWellFormedInsideAnElementFailsTheWholeBody() {
        assertThatThrownBy(() -> parse("[" + reading(",\"extra\":[1,}") + "]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("[{\"metric\":\"steps\",]")).isInstanceOf(IOException.class);
    }
}
