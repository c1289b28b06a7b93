package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.avro.NormalizedReading;
import io.engage.avro.RawReading;
import io.engage.avro.RejectedReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Shuffling and duplicating a batch of readings (valid and invalid, garbage included) never changes which
 * readings are normalised and which are rejected, nor the reason: the outputs of the shuffled, duplicated batch
 * equal, as a multiset keyed by reading identity (deviceId, metric, start, end) and outcome, what each of its
 * records gives when processed alone.
 */
class ShuffleAndDuplicatePropertyTest {
    private static final Instant NOW = NormalizerDriver.NOW;

    /** One record of readings.raw: a reading, or raw bytes (garbage or a tombstone). */
    record Input(String key, RawReading reading, byte[] bytes, Instant timestamp) {
        @Override
        public String toString() {
            return reading != null
                    ? key + ":" + reading
                    : key + ":bytes=" + (bytes == null ? "null" : HexFormat.of().formatHex(bytes));
        }
    }

    @Property(tries = 30)
    void shufflingAndDuplicatingNeverChangesWhatIsNormalisedOrRejected(
            @ForAll("batches") @Size(min = 5, max = 30) List<Input> generated, @ForAll long seed) {
        // Every batch mixes outcomes by construction: one reading that must be normalised and one record of garbage
        // join the generated ones at seed-chosen places (a coverage threshold on random batches was flaky).
        Random random = new Random(seed);
        List<Input> batch = new ArrayList<>(generated);
        batch.add(random.nextInt(batch.size() + 1), surelyValid());
        batch.add(random.nextInt(batch.size() + 1), new Input("dev-x", null, new byte[] {0x01, 0x02, 0x03}, NOW));
        List<String> alone = new ArrayList<>();
        try (NormalizerDriver oracle = driver()) {
            for (Input input : batch) {
                pipe(oracle, input);
                List<String> out = outcomes(oracle);
                assertThat(out).as("exactly one output for %s", input).hasSize(1);
                alone.add(out.get(0));
            }
        }

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            order.add(i);
            int copies = random.nextInt(3); // re-sent up to twice more
            for (int c = 0; c < copies; c++) {
                order.add(i);
            }
        }
        Collections.shuffle(order, random);

        List<String> expected = new ArrayList<>();
        List<String> actual;
        try (NormalizerDriver shuffled = driver()) {
            for (int i : order) {
                pipe(shuffled, batch.get(i));
                expected.add(alone.get(i));
            }
            actual = outcomes(shuffled);
        }
        Collections.sort(expected);
        Collections.sort(actual);
        assertThat(actual).isEqualTo(expected);
        boolean someNormalized = alone.stream().anyMatch(o -> o.contains("|NORMALIZED|"));
        boolean someRejected = alone.stream().anyMatch(o -> !o.contains("|NORMALIZED|"));
        assertThat(someNormalized).as("the valid reading was normalised").isTrue();
        assertThat(someRejected).as("the garbage was rejected").isTrue();
    }

    private static Input surelyValid() {
        Instant end = NOW.minusSeconds(45 * 60);
        RawReading r = RawReading.newBuilder()
                .setDeviceId("dev-ok")
                .setMetric("steps")
                .setUnit("steps")
                .setValue(2400)
                .setStart(Readings.rfc3339(end.minusSeconds(30 * 60)))
                .setEnd(Readings.rfc3339(end))
                .setReceivedAt(NOW.minusSeconds(600))
                .build();
        return new Input("dev-ok", r, null, NOW);
    }

    private static NormalizerDriver driver() {
        NormalizerDriver d = new NormalizerDriver();
        d.pair("dev-ok", "p-ok", DeviceType.tracker).profile("p-ok", true, "Australia/Adelaide");
        d.pair("dev-nozone", "p-nozone", DeviceType.glasses).profile("p-nozone", true, null);
        d.pair("dev-noconsent", "p-noconsent", DeviceType.phone).profile("p-noconsent", false, "Europe/Paris");
        d.pair("dev-noprofile", "p-noprofile", DeviceType.tracker);
        return d;
    }

    private static void pipe(NormalizerDriver d, Input input) {
        if (input.reading() != null) {
            d.raw.pipeInput(input.key(), input.reading(), input.timestamp());
        } else {
            d.rawBytes.pipeInput(input.key(), input.bytes(), input.timestamp());
        }
    }

    /** Every output so far, as "identity | outcome". */
    private static List<String> outcomes(NormalizerDriver d) {
        List<String> out = new ArrayList<>();
        for (NormalizedReading r : d.normalized.readValuesToList()) {
            out.add(String.join(
                    "|",
                    r.getDeviceId(),
                    r.getMetric().name(),
                    r.getStart().toString(),
                    r.getEnd().toString(),
                    "NORMALIZED",
                    r.getParticipantId(),
                    String.valueOf(r.getValue())));
        }
        for (RejectedReading r : d.rejected.readValuesToList()) {
            RawReading raw = r.getReading();
            String identity = raw != null
                    ? String.join("|", raw.getDeviceId(), raw.getMetric(), raw.getStart(), raw.getEnd())
                    : String.join("|", r.getDeviceId(), String.valueOf(r.getMetric()), "-", "-");
            String payload = r.getPayload() == null ? "-" : HexFormat.of().formatHex(bytes(r));
            out.add(String.join("|", identity, r.getReason().name(), payload));
        }
        return out;
    }

    private static byte[] bytes(RejectedReading r) {
        byte[] b = new byte[r.getPayload().remaining()];
        r.getPayload().duplicate().get(b);
        return b;
    }

    @Provide
    Arbitrary<List<Input>> batches() {
        return Arbitraries.frequencyOf(Tuple.of(8, readings()), Tuple.of(1, garbage()))
                .list();
    }

    private Arbitrary<Input> readings() {
        // Weighted towards valid readings so every batch mixes normalised and rejected ones.
        Arbitrary<String> device = Arbitraries.frequency(
                Tuple.of(5, "dev-ok"),
                Tuple.of(3, "dev-nozone"),
                Tuple.of(1, "dev-noconsent"),
                Tuple.of(1, "dev-noprofile"),
                Tuple.of(1, "dev-unpaired"));
        // metric, unit, a plausible value for 30 minutes; some readings then get an impossible value instead
        Arbitrary<String[]> metricUnit = Arbitraries.frequency(
                Tuple.of(4, new String[] {"steps", "steps", "2400"}),
                Tuple.of(1, new String[] {"steps", "count", "800"}),
                Tuple.of(2, new String[] {"distance", "km", "1.6"}),
                Tuple.of(1, new String[] {"distance", "ft", "3000"}),
                Tuple.of(1, new String[] {"calories", "kJ", "400"}),
                Tuple.of(1, new String[] {"calories", "Cal", "90"}),
                Tuple.of(1, new String[] {"active_minutes", "h", "0.2"}),
                Tuple.of(2, new String[] {"heart_rate", "bpm", "72"}),
                Tuple.of(1, new String[] {"floors", "steps", "3"}),
                Tuple.of(1, new String[] {"calories", "cal", "90"}),
                Tuple.of(1, new String[] {"steps", "m", "100"}));
        Arbitrary<Double> badValue =
                Arbitraries.of(-3.0, Double.NaN, 1e7).injectNull(0.7); // null: keep the plausible one
        Arbitrary<Integer> endMinutesAgo = Arbitraries.frequency(
                Tuple.of(1, -30),
                Tuple.of(1, -3),
                Tuple.of(1, 0),
                Tuple.of(6, 45),
                Tuple.of(2, 3 * 24 * 60),
                Tuple.of(1, 8 * 24 * 60));
        Arbitrary<Integer> lengthMinutes = Arbitraries.frequency(
                Tuple.of(1, 0),
                Tuple.of(1, 1),
                Tuple.of(6, 30),
                Tuple.of(2, 240),
                Tuple.of(1, 25 * 60),
                Tuple.of(1, -5));
        Arbitrary<Boolean> gateway = Arbitraries.of(true, false);
        Arbitrary<Integer> minuteShift = Arbitraries.integers().between(0, 59);
        return Combinators.combine(device, metricUnit, badValue, endMinutesAgo, lengthMinutes, gateway, minuteShift)
                .as((d, mu, v, ago, len, viaGateway, shift) -> {
                    Instant end = NOW.minusSeconds(60L * ago + shift);
                    Instant start = end.minusSeconds(60L * len);
                    double value = v != null ? v : Double.parseDouble(mu[2]);
                    RawReading r = RawReading.newBuilder()
                            .setDeviceId(d)
                            .setMetric(mu[0])
                            .setUnit(mu[1])
                            .setValue(value)
                            .setStart(Readings.rfc3339(start))
                            .setEnd(Readings.rfc3339(end))
                            .setReceivedAt(viaGateway ? NOW.minusSeconds(600) : null)
                            .build();
                    return new Input(d, r, null, NOW.plusSeconds(shift));
                });
    }

    private Arbitrary<Input> garbage() {
        Arbitrary<byte[]> bytes =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(12).injectNull(0.2);
        Arbitrary<String> key = Arbitraries.of("dev-ok", "dev-x").injectNull(0.2);
        return Combinators.combine(key, bytes).as((k, b) -> new Input(k, null, b, NOW));
    }
}
