package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Activity follows the participant's local day and week, and day totals are plausible around the 7,000-step goal. */
class DailyPatternTest {
    static final int PARTICIPANTS = 150;
    static final int DAYS = 14;
    static final double[] weekdayHour = new double[24];
    static final double[] weekendHour = new double[24];
    static final Map<String, Map<LocalDate, Double>> dayTotals = new HashMap<>();
    static final List<SimulatedReading> trackerReadings = new ArrayList<>();

    @BeforeAll
    static void generate() {
        SimulationSpec spec = Specs.clean()
                .participants(PARTICIPANTS)
                .days(DAYS)
                .dualDeviceRate(0)
                .build();
        Population population = Population.of(spec);
        int[] weekdayCount = new int[24];
        int[] weekendCount = new int[24];
        new ReadingGenerator(spec, population).readings().forEach(r -> {
            SimulatedParticipant p = population.byDevice(r.deviceId()).orElseThrow();
            if (p.devices().get(0).type() == DeviceType.tracker) {
                trackerReadings.add(r);
            }
            if (!r.raw().getMetric().equals("steps") || p.devices().get(0).type() == DeviceType.glasses) {
                return; // glasses come off at night: use the devices worn all day
            }
            LocalDateTime local = LocalDateTime.ofInstant(
                    OffsetDateTime.parse(r.raw().getStart()).toInstant(), p.clockZone());
            boolean weekend = ActivityModel.weekend(local.toLocalDate());
            (weekend ? weekendHour : weekdayHour)[local.getHour()] += r.raw().getValue();
            (weekend ? weekendCount : weekdayCount)[local.getHour()]++;
            dayTotals
                    .computeIfAbsent(p.id(), k -> new HashMap<>())
                    .merge(local.toLocalDate(), r.raw().getValue(), Double::sum);
        });
        for (int h = 0; h < 24; h++) {
            weekdayHour[h] /= weekdayCount[h];
            weekendHour[h] /= weekendCount[h];
        }
    }

    @Test
    void littleActivityAtThreeInTheMorningMoreAtMidday() {
        assertThat(weekdayHour[3]).isLessThan(0.05 * weekdayHour[12]);
        assertThat(weekendHour[3]).isLessThan(0.05 * weekendHour[12]);
        assertThat(weekdayHour[12]).isGreaterThan(300);
    }

    @Test
    void weekdaysHaveCommutePeaksAndWeekendsALateActiveMidday() {
        assertThat(weekdayHour[8]).isGreaterThan(1.5 * weekendHour[8]);
        assertThat(weekdayHour[8]).isGreaterThan(weekdayHour[10]);
        assertThat(weekdayHour[17]).isGreaterThan(weekdayHour[15]);
        assertThat(weekendHour[11]).isGreaterThan(weekendHour[8]);
        assertThat(weekendHour[15] / weekendHour[8]).isGreaterThan(weekdayHour[15] / weekdayHour[8]);
    }

    @Test
    void dayTotalsCentreOnTheGoalWithSomeFarBelowAndSomeFarAbove() {
        List<Double> all = dayTotals.values().stream()
                .flatMap(m -> m.values().stream())
                .sorted()
                .toList();
        double median = all.get(all.size() / 2);
        long reachGoal = all.stream().filter(t -> t >= 7_000).count();

        assertThat(median).isBetween(5_500.0, 8_500.0);
        assertThat((double) reachGoal / all.size()).isBetween(0.3, 0.7);

        List<Double> medians = dayTotals.values().stream()
                .map(m -> m.values().stream().sorted().toList().get(m.size() / 2))
                .toList();
        assertThat(medians.stream().filter(m -> m < 5_000).count())
                .as("mostly below the goal")
                .isGreaterThan(PARTICIPANTS / 10);
        assertThat(medians.stream().filter(m -> m > 12_000).count())
                .as("far above the goal")
                .isGreaterThan(PARTICIPANTS / 20);
    }

    @Test
    void distanceActiveMinutesAndCaloriesAreConsistentWithSteps() {
        Map<String, Double> stepsOf = new HashMap<>();
        for (SimulatedReading r : trackerReadings) {
            if (r.raw().getMetric().equals("steps")) {
                stepsOf.put(r.deviceId() + r.raw().getStart(), r.canonicalValue());
            }
        }
        int checked = 0;
        for (SimulatedReading r : trackerReadings) {
            Double steps = stepsOf.get(r.deviceId() + r.raw().getStart());
            double minutes =
                    (r.identity().end().getEpochSecond() - r.identity().start().getEpochSecond()) / 60.0;
            switch (r.raw().getMetric()) {
                case "distance" -> {
                    if (steps > 500) {
                        assertThat(r.canonicalValue() / steps)
                                .as("stride of %s", r)
                                .isBetween(0.55, 0.9);
                        checked++;
                    }
                }
                case "active_minutes" -> {
                    assertThat(r.canonicalValue()).isBetween(0.0, minutes);
                    if (steps > 5_000 * minutes / 60) {
                        assertThat(r.canonicalValue())
                                .as("%s after %s steps", r, steps)
                                .isGreaterThan(minutes / 3);
                    }
                }
                case "calories" -> assertThat(r.canonicalValue()).isBetween(minutes, minutes * 1.5 + 0.06 * steps);
                case "heart_rate" -> assertThat(r.canonicalValue()).isBetween(40.0, 195.0);
                default -> {}
            }
        }
        assertThat(checked).isGreaterThan(1_000);
    }
}
