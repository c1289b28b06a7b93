package io.engage.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import io.engage.avro.Metric;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.DeviceHours;
import io.engage.streams.activity.HeartRateDay;
import io.engage.streams.activity.ReadingState;
import io.engage.streams.goals.DayGoals;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;

/** The stores' value layouts round-trip, refuse an unknown version, and keys keep participants apart. */
class StoreLayoutTest {

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("store", serde.serializer().serialize("store", value));
    }

    @Test
    void everyStoreValueRoundTrips() {
        ProfileView profile = new ProfileView("p-1", "prog-1", null, "Asia/Kathmandu", true, 9000, null,
                new TreeSet<>(List.of(LocalDate.parse("2026-11-20"))), "veterans");
        assertThat(roundTrip(ProfileView.serde(), profile)).isEqualTo(profile);
        ProgramRules rules = ProgramRules.defaults("prog-1");
        assertThat(roundTrip(ProgramRules.serde(), rules)).isEqualTo(rules);
        ReadingState reading = new ReadingState("dev-1", Metric.steps, Instant.parse("2026-11-20T08:00:00Z"),
                Instant.parse("2026-11-20T09:00:00Z"), 1234.5, "Europe/Berlin", Instant.parse("2026-11-20T09:01:00Z"), 42);
        assertThat(roundTrip(ReadingState.serde(), reading)).isEqualTo(reading);
        DeviceHours hours = DeviceHours.EMPTY.plus("dev-1", 5).plus("dev-2", 7);
        assertThat(roundTrip(DeviceHours.serde(), hours)).isEqualTo(hours);
        HeartRateDay hr = HeartRateDay.EMPTY.add(70_000_000).add(70_000_000).add(90_500_000);
        assertThat(roundTrip(HeartRateDay.serde(), hr)).isEqualTo(hr);
        DayState day = DayState.open("Europe/Berlin", "prog-1", new DayGoals(7000, 30), Instant.EPOCH)
                .plus(Metric.steps, 7_000_000_000L).withHeartRate(hr.summary()).withStepsAchieved();
        assertThat(roundTrip(DayState.serde(), day)).isEqualTo(day);
        assertThat(roundTrip(PointsBalance.serde(), new PointsBalance(35, 4, 1))).isEqualTo(new PointsBalance(35, 4, 1));
    }

    @Test
    void valuesWrittenByTheEarlierLayoutStillRead() {
        // layout 1 of the points balance: total, awards (no donation thresholds yet)
        byte[] points = StateCodec.<long[]>serde("old", 1, (v, out) -> out.int64(v[0]).int64(v[1]), in -> null)
                .serializer().serialize("s", new long[] {35, 4});
        assertThat(PointsBalance.serde().deserializer().deserialize("s", points)).isEqualTo(new PointsBalance(35, 4, 0));
        // layout 1 of the profile: no beneficiary
        byte[] profile = StateCodec.<String>serde("old", 1, (v, out) -> out.string("p-1").string("prog-1").string(null)
                        .string("UTC").bool(true).nullableInt(null).nullableBool(null).int32(0), in -> null)
                .serializer().serialize("s", "x");
        assertThat(ProfileView.serde().deserializer().deserialize("s", profile)).isEqualTo(
                new ProfileView("p-1", "prog-1", null, "UTC", true, null, null, new TreeSet<>(), null));
        // layout 1 of the programme rules: no donation rules, which read as the defaults
        byte[] rules = StateCodec.<String>serde("old", 1, (v, out) -> out.string("prog-1").int32(8000).int32(30)
                        .int32(2000).int32(30000).bool(false).int32(10).int32(5).int32(50).int32(0), in -> null)
                .serializer().serialize("s", "x");
        ProgramRules read = ProgramRules.serde().deserializer().deserialize("s", rules);
        assertThat(read.stepGoal()).isEqualTo(8000);
        assertThat(read.pointsPerDonation()).isEqualTo(50);
        assertThat(read.donationBudget()).isEqualTo(1000);
        assertThat(read.defaultBeneficiary()).isEqualTo("children");
    }

    @Test
    void anUnknownLayoutVersionIsRefused() {
        byte[] bytes = PointsBalance.serde().serializer().serialize("s", PointsBalance.ZERO);
        bytes[0] = 9;
        assertThatThrownBy(() -> PointsBalance.serde().deserializer().deserialize("s", bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 9");
    }

    @Test
    void aParticipantsPrefixDoesNotReachAnotherParticipant() {
        assertThat(StoreKeys.day("p-10", LocalDate.parse("2026-11-20")))
                .doesNotStartWith(StoreKeys.participantPrefix("p-1"));
        assertThat(StoreKeys.day("p-1", LocalDate.parse("2026-11-20"))).startsWith(StoreKeys.participantPrefix("p-1"));
        assertThat(StoreKeys.split(StoreKeys.join("a", "b", "", "c"))).containsExactly("a", "b", "", "c");
        assertThatThrownBy(() -> StoreKeys.join("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theExpiryIndexPurgesOldestFirstAndStopsAtTheFirstNotDue() {
        KeyValueStore<String, byte[]> indexStore = inMemory(Serdes.ByteArray());
        KeyValueStore<String, String> target = inMemory(Serdes.String());
        ExpiryIndex index = new ExpiryIndex(indexStore);
        for (int i = 1; i <= 5; i++) {
            target.put("k" + i, "v");
            index.add(Instant.ofEpochSecond(i * 100L), "target", "k" + i);
        }
        Map<String, KeyValueStore<String, ?>> stores = Map.of("target", target);
        assertThat(index.purge(Instant.ofEpochSecond(250), 100, stores)).isEqualTo(2);
        assertThat(target.get("k1")).isNull();
        assertThat(target.get("k3")).isEqualTo("v");
        assertThat(index.purge(Instant.ofEpochSecond(1000), 2, stores)).as("at most a batch per run").isEqualTo(2);
        assertThat(target.get("k5")).isEqualTo("v");
        assertThat(index.purge(Instant.ofEpochSecond(1000), 2, stores)).isEqualTo(1);
        assertThat(index.purge(Instant.ofEpochSecond(1000), 2, stores)).isZero();
    }

    private static <V> KeyValueStore<String, V> inMemory(Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s" + System.nanoTime()),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
