package io.engage.simulator;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** Small specs for tests. */
final class Specs {
    /** A fortnight spanning the northern-spring daylight-saving changes of Europe (29 March 2026). */
    static final LocalDate START = LocalDate.of(2026, 3, 23);

    private Specs() {}

    static SimulationSpec.Builder small() {
        return SimulationSpec.builder()
                .seed(7)
                .participants(24)
                .teams(3)
                .startDate(START)
                .days(3);
    }

    /** Only valid, original readings. */
    static SimulationSpec.Builder clean() {
        return small().duplicateRate(0)
                .correctionRate(0)
                .lateSyncRate(0)
                .invalidRate(0)
                .noConsentShare(0);
    }

    /** Clean except for invalid readings of one kind. */
    static SimulationSpec only(Kind kind, double rate) {
        return clean().invalidRate(rate)
                .invalidKinds(Set.of(kind))
                .noConsentShare(0.1)
                .build();
    }

    static List<SimulatedReading> all(SimulationSpec spec) {
        return new ReadingGenerator(spec).readings().toList();
    }
}
