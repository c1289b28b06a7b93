package io.engage.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The hand-written parser accepts exactly what the former regex plus {@code OffsetDateTime.parse} accepted, with the
 * same instant and offset: the former implementation is kept here, unchanged, as the oracle.
 */
class Rfc3339TimestampPropertyTest {

    /** The former {@code ReadingValidator.timestamp}, verbatim: the reference the new parser must agree with. */
    private static final Pattern RFC_3339 =
            Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}:\\d{2}:\\d{2})(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");

    static Optional<OffsetDateTime> oracle(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = RFC_3339.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String fraction = m.group(3) == null ? "" : m.group(3);
        if (fraction.length() > 10) {
            fraction = fraction.substring(0, 10);
        }
        String offset = m.group(4).equalsIgnoreCase("z") ? "Z" : m.group(4);
        try {
            return Optional.of(OffsetDateTime.parse(
                    m.group(1) + 'T' + m.group(2) + fraction + offset, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static void assertAgrees(String text) {
        Optional<OffsetDateTime> expected = oracle(text);
        Rfc3339Timestamp parsed = Rfc3339Timestamp.parse(text);
        if (expected.isEmpty()) {
            assertThat(parsed).as("'%s' is refused", text).isNull();
        } else {
            assertThat(parsed)
                    .as("'%s'", text)
                    .isEqualTo(new Rfc3339Timestamp(
                            expected.get().toInstant(),
                            expected.get().getOffset().getTotalSeconds()));
        }
        Statistics.label("verdict").collect(expected.isPresent() ? "accepted" : "refused");
    }

    @Property(tries = 3000)
    void agreesOnNearlyValidTimestamps(@ForAll("nearlyValid") String text) {
        assertAgrees(text);
        Statistics.label("verdict").coverage(c -> {
            c.check("accepted").percentage(p -> p > 5);
            c.check("refused").percentage(p -> p > 5);
        });
    }

    @Property(tries = 3000)
    void agreesOnTimestampsWithOneCharacterChanged(@ForAll("mutated") String text) {
        assertAgrees(text);
    }

    @Property(tries = 1000)
    void agreesOnAnyShortText(@ForAll("shortTexts") String text) {
        assertAgrees(text);
    }

    @Example
    void agreesOnEdgeCases() {
        for (String text : new String[] {
            "0000-01-01T00:00:00Z",
            "0000-01-01T00:00:00+18:00",
            "0000-02-29T12:00:00Z",
            "9999-12-31T23:59:59-18:00",
            "9999-12-31T23:59:59.999999999-18:00",
            "1900-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2024-02-29T23:59:59z",
            "2026-04-31T00:00:00Z",
            "2026-12-31t23:59:59.0Z",
            "2026-11-20T10:00:60Z",
            "2026-11-20T10:60:00Z",
            "2026-11-20T23:59:59+18:01",
            "2026-11-20T10:00:00+05:60",
            "2026-11-20T10:00:00-18:00",
            "2026-11-20T10:00:00-19:00",
            "2026-11-20T10:00:00+23:59",
            "2026-11-20T10:00:00+24:00",
            "2026-11-20T10:00:00.0000000000000000001Z",
            "2026-11-20T10:00:00.1234567891234+01:00",
            "2026-11-20T10:00:00Z ",
            "2026-11-20T10:00:00\u0661Z",
            "\uff12026-11-20T10:00:00Z",
            "2026-11-20T10:00:00.Z",
            "2026-11-20T10:00:00.5",
            "2026-11-20T10:00:00ZZ",
            "2026-11-20T10:00:00+05:45Z",
            "2026-11-20\t10:00:00Z",
            "2026-00-20T10:00:00Z",
            "2026-13-20T10:00:00Z",
            "2026-11-00T10:00:00Z",
            "2026-11-20T10:00:00.+01:00",
            "",
            "Z",
            "2026-11-20T10:00:00",
            null
        }) {
            assertAgrees(text);
        }
    }

    @Provide
    Arbitrary<String> nearlyValid() {
        Arbitrary<Integer> year = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 9999),
                Arbitraries.of(0, 1, 4, 100, 400, 1900, 1970, 2000, 2024, 2025, 2100, 9999));
        Arbitrary<Integer> month = Arbitraries.integers().between(0, 13);
        Arbitrary<Integer> day =
                Arbitraries.oneOf(Arbitraries.integers().between(0, 32), Arbitraries.of(28, 29, 30, 31));
        Arbitrary<Integer> hour = Arbitraries.integers().between(0, 25);
        Arbitrary<Integer> minute = Arbitraries.integers().between(0, 61);
        Arbitrary<Integer> second =
                Arbitraries.oneOf(Arbitraries.integers().between(0, 59), Arbitraries.of(59, 60, 61));
        Arbitrary<String> separator = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("T")), net.jqwik.api.Tuple.of(1, Arbitraries.just("t")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(" ")),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of("_", "x", "\t", "TT")));
        Arbitrary<String> fraction = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(14).map(d -> "." + d));
        return Combinators.combine(year, month, day, hour, minute, second, separator, fraction)
                .flatAs((y, mo, d, h, mi, s, sep, f) -> offset().map(off ->
                        String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s", y, mo, d, sep, h, mi, s, f, off)));
    }

    private static Arbitrary<String> offset() {
        Arbitrary<String> signed = Combinators.combine(
                        Arbitraries.of("+", "-"),
                        Arbitraries.oneOf(Arbitraries.integers().between(0, 19), Arbitraries.of(18, 23, 24, 99)),
                        Arbitraries.oneOf(
                                Arbitraries.of(0, 30, 45),
                                Arbitraries.integers().between(0, 61)))
                .as((sign, h, m) -> String.format("%s%02d:%02d", sign, h, m));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of("Z", "z")),
                net.jqwik.api.Tuple.of(6, signed),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "+0545", "+05", "+05:45:30", "Y", "UTC", "+5:45", "Z ")));
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<Character> replacement = Arbitraries.chars().with("0123456789-:+.TtZz \u0661\uff10x");
        return Combinators.combine(
                        nearlyValid(),
                        Arbitraries.integers().between(0, 40),
                        replacement,
                        Arbitraries.of(Edit.values()))
                .as((text, at, c, edit) -> edit.apply(text, Math.min(at, text.length()), c));
    }

    @Provide
    Arbitrary<String> shortTexts() {
        return Arbitraries.strings().withChars("0123456789-:+.TZz ").ofMaxLength(30);
    }

    /** One-character edits that turn a timestamp into a near miss (or, sometimes, another valid timestamp). */
    enum Edit {
        REPLACE,
        INSERT,
        DELETE;

        String apply(String text, int at, char c) {
            return switch (this) {
                case REPLACE -> at == text.length() ? text + c : text.substring(0, at) + c + text.substring(at + 1);
                case INSERT -> text.substring(0, at) + c + text.substring(at);
                case DELETE -> at == text.length() ? text : text.substring(0, at) + text.substring(at + 1);
            };
        }
    }
}
