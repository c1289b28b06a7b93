package io.engage.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DailyActivity;
import io.engage.avro.DeviceType;
import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import io.engage.schemas.AvroTrust;
import io.engage.streams.testing.EngagementDriver;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * docs/rules.md: any permutation with any duplication of a set of readings gives identical day totals, the same
 * set of goal events (each once) and the same goal-day and active-minute points. Milestone awards may depend on
 * arrival order; their ids must still be unique. The set holds readings of two devices over three days, some of
 * them corrected upwards (a later-received, larger value for the same identity): a correction downwards across the
 * goal is the one case docs/rules.md lets depend on order ("a later correction below the goal retracts nothing").
 */
class ArrivalOrderPropertyTest {
    static {
        AvroTrust.install();
    }

    private static final String PID = "p-prop";
    private static final String[] ZONES = {"Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns"
    };
    private static final Instant FIRST_DAY = Instant.parse("2026-11-16T00:00:00Z");

    /** A generated reading: which device and metric, where in the four days, how long, how intense. */
    record Gen(int device, Metric metric, int startMinute, int minutes, double intensity, boolean corrected) {}

    @Provide
    Arbitrary<Gen> readings() {
        Arbitrary<Integer> device = Arbitraries.integers().between(0, 1);
        Arbitrary<Metric> metric = Arbitraries.of(
                Metric.steps, Metric.steps, Metric.steps, Metric.active_minutes, Metric.distance, Metric.heart_rate);
        Arbitrary<Integer> start = Arbitraries.integers().between(0, 3 * 24 * 60 - 1);
        Arbitrary<Integer> minutes = Arbitraries.of(1, 5, 15, 30, 45, 60, 90, 120, 240);
        Arbitrary<Double> intensity = Arbitraries.doubles().between(0, 1).ofScale(3);
        Arbitrary<Boolean> corrected = Arbitraries.integers().between(0, 4).map(i -> i == 0);
        return Combinators.combine(device, metric, start, minutes, intensity, corrected)
                .as(Gen::new);
    }

    @Property(tries = 200)
    void arrivalOrderAndDuplicatesDoNotChangeTotalsGoalsOrGoalPoints(
            @ForAll @Size(min = 5, max = 60) List<@From("readings") Gen> generated,
            @ForAll @IntRange(min = 0, max = 3) int zoneIndex,
            @ForAll long seed) {
        String zone = ZONES[zoneIndex];
        List<NormalizedReading> set = readingSet(generated, zone);

        Outcome oracle = run(zone, set);

        Random random = new Random(seed);
        List<NormalizedReading> arrivals = new ArrayList<>();
        for (NormalizedReading r : set) {
            int copies = 1 + random.nextInt(3);
            for (int c = 0; c < copies; c++) {
                arrivals.add(r);
            }
        }
        Collections.shuffle(arrivals, random);
        Outcome shuffled = run(zone, arrivals);

        assertThat(shuffled.days)
                .as("day totals, heart rate, goals and achieved flags")
                .isEqualTo(oracle.days);
        assertThat(shuffled.goalEvents).as("goal events").isEqualTo(oracle.goalEvents);
        assertThat(shuffled.goalPoints).as("goal-day and active-minute points").isEqualTo(oracle.goalPoints);
        assertThat(shuffled.duplicateIds).as("ids emitted twice").isEmpty();
        assertThat(oracle.duplicateIds).isEmpty();

        Statistics.collect(oracle.goalEvents.isEmpty() ? "no goal reached" : "some goal reached");
        // About 72 % of tries reach a goal; 50 % is seven standard deviations below that at 200 tries.
        Statistics.coverage(c -> c.check("some goal reached").percentage(p -> p >= 50));
    }

    /** Distinct identities, then for some an upward correction received later. */
    private static List<NormalizedReading> readingSet(List<Gen> generated, String zone) {
        Map<String, NormalizedReading> byIdentity = new LinkedHashMap<>();
        List<NormalizedReading> corrections = new ArrayList<>();
        int i = 0;
        for (Gen g : generated) {
            i++;
            Instant start = FIRST_DAY.plusSeconds(g.startMinute() * 60L);
            boolean point = g.metric() == Metric.heart_rate && g.minutes() == 1;
            Instant end = point ? start : start.plusSeconds(g.minutes() * 60L);
            double value = value(g.metric(), g.minutes(), g.intensity());
            NormalizedReading r = NormalizedReading.newBuilder()
                    .setParticipantId(PID)
                    .setDeviceId(g.device() == 0 ? "tracker-1" : "glasses-1")
                    .setDeviceType(g.device() == 0 ? DeviceType.tracker : DeviceType.glasses)
                    .setMetric(g.metric())
                    .setValue(value)
                    .setStart(start)
                    .setEnd(end)
                    .setOffsetSeconds(0)
                    .setZoneId(zone)
                    .setReceivedAt(EngagementDriver.NOW.plusSeconds(i))
                    .build();
            String identity = r.getDeviceId() + "|" + r.getMetric() + "|" + r.getStart() + "|" + r.getEnd();
            if (byIdentity.putIfAbsent(identity, r) == null && g.corrected()) {
                double larger = g.metric() == Metric.heart_rate ? value + 7 : value * 1.5 + 1;
                if (g.metric() == Metric.active_minutes) {
                    larger = Math.min(larger, g.minutes());
                }
                if (larger != value) {
                    corrections.add(NormalizedReading.newBuilder(r)
                            .setValue(larger)
                            .setReceivedAt(EngagementDriver.NOW.plusSeconds(10_000 + i))
                            .build());
                }
            }
        }
        List<NormalizedReading> set = new ArrayList<>(byIdentity.values());
        set.addAll(corrections);
        return set;
    }

    private static double value(Metric metric, int minutes, double intensity) {
        return switch (metric) {
            case steps -> Math.round(intensity * 250 * minutes);
            case active_minutes -> Math.round(intensity * minutes * 10) / 10.0;
            case distance -> Math.round(intensity * 120 * minutes * 100) / 100.0;
            case calories -> intensity * 10 * minutes;
            case heart_rate -> 50 + Math.round(intensity * 120);
        };
    }

    /** What must not depend on arrival order. */
    record Outcome(
            Map<LocalDate, String> days,
            Set<String> goalEvents,
            Map<String, Integer> goalPoints,
            Set<String> duplicateIds) {}

    private static Outcome run(String zone, List<NormalizedReading> arrivals) {
        try (EngagementDriver d = new EngagementDriver(Map.of(), EngagementStores.Kind.IN_MEMORY)) {
            d.profile(PID, zone);
            for (NormalizedReading r : arrivals) {
                d.send(r);
            }
            Map<LocalDate, String> days = new TreeMap<>();
            for (Map.Entry<LocalDate, DailyActivity> e : d.days(PID).entrySet()) {
                DailyActivity a = e.getValue();
                days.put(
                        e.getKey(),
                        String.join(
                                "|",
                                a.getZoneId(),
                                String.valueOf(a.getSteps()),
                                String.valueOf(a.getDistance()),
                                String.valueOf(a.getActiveMinutes()),
                                String.valueOf(a.getCalories()),
                                String.valueOf(a.getHeartRate()),
                                String.valueOf(a.getStepGoal()),
                                String.valueOf(a.getActiveMinutesGoal()),
                                String.valueOf(a.getStepsAchieved()),
                                String.valueOf(a.getActiveMinutesAchieved())));
            }
            Set<String> goalEvents = new TreeSet<>();
            Set<String> seen = new HashSet<>();
            Set<String> duplicates = new TreeSet<>();
            for (GoalAchieved g : d.goals) {
                goalEvents.add(g.getEventId() + "|goal=" + g.getGoal());
                if (!seen.add(g.getEventId())) {
                    duplicates.add(g.getEventId());
                }
            }
            Map<String, Integer> goalPoints = new TreeMap<>();
            for (PointsAwarded p : d.points) {
                if (!seen.add(p.getAwardId())) {
                    duplicates.add(p.getAwardId());
                }
                if (p.getReason() == PointsReason.STEP_GOAL || p.getReason() == PointsReason.ACTIVE_MINUTES_GOAL) {
                    goalPoints.put(p.getAwardId(), p.getPoints());
                }
            }
            d.streaks.forEach(s -> {
                if (!seen.add(s.getEventId())) {
                    duplicates.add(s.getEventId());
                }
            });
            return new Outcome(days, goalEvents, goalPoints, duplicates);
        }
    }
}
