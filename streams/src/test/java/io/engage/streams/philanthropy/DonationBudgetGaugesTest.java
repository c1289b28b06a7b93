package io.engage.streams.philanthropy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/** The budget gauges follow the local donation accounts, and keep their values while the store is not queryable. */
class DonationBudgetGaugesTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final TreeMap<String, ProgramLedger> accounts = new TreeMap<>();
    private final AtomicBoolean queryable = new AtomicBoolean(true);
    private final DonationBudgetGauges gauges = new DonationBudgetGauges(metrics, () -> {
        if (!queryable.get()) {
            throw new InvalidStateStoreException("rebalancing");
        }
        return new MapStore(accounts);
    });

    @Test
    void eachLocalProgrammeHasItsBudgetAndWhatIsLeft() {
        accounts.put("prog-a", ProgramLedger.empty(10).madeFor("water", false).madeFor("trees", false));
        accounts.put("prog-b", ProgramLedger.empty(3));
        assertThat(gauges.refresh()).isTrue();
        assertThat(gauge(DonationBudgetGauges.BUDGET, "prog-a")).isEqualTo(10.0);
        assertThat(gauge(DonationBudgetGauges.REMAINING, "prog-a")).isEqualTo(8.0);
        assertThat(gauge(DonationBudgetGauges.REMAINING, "prog-b")).isEqualTo(3.0);

        accounts.put("prog-b", ProgramLedger.empty(3).madeFor("water", false).withBudget(1));
        accounts.remove("prog-a"); // moved to another instance
        gauges.refresh();
        assertThat(gauge(DonationBudgetGauges.REMAINING, "prog-b")).isEqualTo(0.0);
        assertThat(metrics.find(DonationBudgetGauges.REMAINING)
                        .tag("program", "prog-a")
                        .gauge())
                .as("a programme this instance no longer holds is not reported by it")
                .isNull();
    }

    @Test
    void aStoreThatIsNotQueryableLeavesTheLastValues() {
        accounts.put("prog-a", ProgramLedger.empty(10));
        gauges.refresh();
        queryable.set(false);
        accounts.put("prog-a", ProgramLedger.empty(10).madeFor("water", false));
        assertThat(gauges.refresh()).isFalse();
        assertThat(gauge(DonationBudgetGauges.REMAINING, "prog-a")).isEqualTo(10.0);
    }

    private double gauge(String name, String program) {
        return metrics.get(name).tag("program", program).gauge().value();
    }

    /** A read-only store over a sorted map. */
    private record MapStore(TreeMap<String, ProgramLedger> map)
            implements ReadOnlyKeyValueStore<String, ProgramLedger> {
        @Override
        public ProgramLedger get(String key) {
            return map.get(key);
        }

        @Override
        public KeyValueIterator<String, ProgramLedger> range(String from, String to) {
            return iterator(map.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, ProgramLedger> all() {
            return iterator(map);
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        private static KeyValueIterator<String, ProgramLedger> iterator(Map<String, ProgramLedger> m) {
            Iterator<Map.Entry<String, ProgramLedger>> it =
                    new TreeMap<>(m).entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, ProgramLedger> next() {
                    Map.Entry<String, ProgramLedger> e = it.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {}

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
