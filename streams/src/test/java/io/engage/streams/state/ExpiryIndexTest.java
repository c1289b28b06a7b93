package io.engage.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.testing.TestStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class ExpiryIndexTest {
    @Test
    void expiresWhatIsDueAtOrBeforeTheCutoffOldestFirstAndAtMostMax() {
        KeyValueStore<String, byte[]> store = TestStores.inMemory(Serdes.ByteArray());
        ExpiryIndex index = new ExpiryIndex(store);
        Instant cutoff = Instant.parse("2026-12-07T00:00:00Z");
        index.add(cutoff.plusMillis(1), "b", "after");
        index.add(cutoff, "b", "at");
        index.add(cutoff.minusSeconds(3600), "a", "hour-before");
        index.add(Instant.EPOCH, "a", "epoch");
        index.add(cutoff.plusSeconds(86_400 * 400L), "a", "next-year");

        List<String> handled = new ArrayList<>();
        Map<String, java.util.function.Consumer<String>> handlers =
                Map.of("a", k -> handled.add("a:" + k), "b", k -> handled.add("b:" + k));
        assertThat(index.expire(cutoff, 2, handlers)).isEqualTo(2);
        assertThat(handled).containsExactly("a:epoch", "a:hour-before");
        assertThat(index.expire(cutoff, 10, handlers)).isEqualTo(1);
        assertThat(handled).containsExactly("a:epoch", "a:hour-before", "b:at");
        assertThat(index.expire(cutoff, 10, handlers)).isZero();
        assertThat(store.approximateNumEntries()).isEqualTo(2);
        assertThat(index.expire(cutoff.plusSeconds(86_400 * 401L), 10, handlers))
                .isEqualTo(2);
        assertThat(handled).endsWith("b:after", "a:next-year");
    }
}
