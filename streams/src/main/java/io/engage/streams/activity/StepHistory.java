package io.engage.streams.activity;

import java.time.LocalDate;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.engage.streams.state.StoreKeys;

/** The step totals the adaptive goal looks at: the 7 local days before a date that have step data. */
public final class StepHistory {
    private StepHistory() {
    }

    /** Date to reported step total, for the days among the 7 before {@code date} that a step reading touched. */
    public static NavigableMap<LocalDate, Long> before(ReadOnlyKeyValueStore<String, DayState> days, String participantId,
                                                       LocalDate date) {
        NavigableMap<LocalDate, Long> history = new TreeMap<>();
        try (KeyValueIterator<String, DayState> it = days.range(StoreKeys.day(participantId, date.minusDays(7)),
                StoreKeys.day(participantId, date.minusDays(1)))) {
            while (it.hasNext()) {
                KeyValue<String, DayState> e = it.next();
                if (e.value.stepsSeen()) {
                    history.put(LocalDate.parse(StoreKeys.split(e.key).get(1)), e.value.steps());
                }
            }
        }
        return history;
    }
}
