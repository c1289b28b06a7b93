package io.engage.streams.activity;

import io.engage.streams.state.StoreKeys;
import java.time.LocalDate;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The step totals the adaptive goal looks at: the 7 local days before a date that have step data. */
public final class StepHistory {
    private StepHistory() {}

    /** Date to reported step total, for the days among the 7 before {@code date} that a step reading touched. */
    public static NavigableMap<LocalDate, Long> before(Function<LocalDate, DayState> days, LocalDate date) {
        NavigableMap<LocalDate, Long> history = new TreeMap<>();
        for (LocalDate d = date.minusDays(7); d.isBefore(date); d = d.plusDays(1)) {
            DayState day = days.apply(d);
            if (day != null && day.stepsSeen()) {
                history.put(d, day.steps());
            }
        }
        return history;
    }

    /** As {@link #before(Function, LocalDate)}, over the days store. */
    public static NavigableMap<LocalDate, Long> before(
            ReadOnlyKeyValueStore<String, DayState> days, String participantId, LocalDate date) {
        return before(d -> days.get(StoreKeys.day(participantId, d)), date);
    }
}
