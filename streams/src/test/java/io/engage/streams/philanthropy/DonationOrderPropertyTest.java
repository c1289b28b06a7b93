package io.engage.streams.philanthropy;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.avro.PointRules;
import io.engage.schemas.AvroTrust;
import io.engage.streams.EngagementStores;
import io.engage.streams.testing.EngagementDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * docs/philanthropy.md under any arrival order and duplication: the same readings give the same set of donation ids, each
 * donation once per status, and exactly min(budget, thresholds) donations made, whatever the order. Streak milestones
 * are switched off here: their points may depend on arrival order (docs/rules.md), and so would the thresholds.
 */
class DonationOrderPropertyTest {
    static {
        AvroTrust.install();
    }

    private static final Instant FIRST_DAY = Instant.parse("2026-11-14T00:00:00Z");

    /** A generated hour of steps: participant, day, hour, steps. */
    record Hour(int participant, int day, int hour, int steps) {}

    @Provide
    Arbitrary<Hour> hours() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(6, 21),
                        Arbitraries.integers().between(0, 9000))
                .as(Hour::new);
    }

    @Property(tries = 60)
    void donationsDoNotDependOnArrivalOrderOrDuplicates(
            @ForAll @Size(min = 5, max = 50) List<@net.jqwik.api.From("hours") Hour> generated,
            @ForAll @IntRange(min = 0, max = 12) int budget,
            @ForAll long seed) {
        List<NormalizedReading> set = new ArrayList<>();
        Set<String> identities = new HashSet<>();
        for (Hour h : generated) {
            Instant start = FIRST_DAY.plus(Duration.ofDays(h.day())).plus(Duration.ofHours(h.hour()));
            if (identities.add(h.participant() + "|" + start)) {
                set.add(NormalizedReading.newBuilder()
                        .setParticipantId("p-" + h.participant())
                        .setDeviceId("tracker-" + h.participant())
                        .setDeviceType(DeviceType.tracker)
                        .setMetric(Metric.steps)
                        .setValue(h.steps())
                        .setStart(start)
                        .setEnd(start.plus(Duration.ofHours(1)))
                        .setOffsetSeconds(0)
                        .setZoneId("UTC")
                        .setReceivedAt(EngagementDriver.NOW)
                        .build());
            }
        }
        Outcome inOrder = run(set, budget);

        Random random = new Random(seed);
        List<NormalizedReading> arrivals = new ArrayList<>();
        for (NormalizedReading r : set) {
            for (int c = 1 + random.nextInt(3); c > 0; c--) {
                arrivals.add(r);
            }
        }
        Collections.shuffle(arrivals, random);
        Outcome shuffled = run(arrivals, budget);

        assertThat(shuffled.ids).as("donation ids").isEqualTo(inOrder.ids);
        assertThat(shuffled.repeated).as("a (donationId, status) twice").isEmpty();
        assertThat(inOrder.repeated).isEmpty();
        assertThat(shuffled.made)
                .as("donations made")
                .isEqualTo(Math.min(budget, inOrder.ids.size()))
                .isEqualTo(inOrder.made);
        assertThat(shuffled.deferred).isEqualTo(inOrder.ids.size() - inOrder.made);
    }

    record Outcome(Set<String> ids, Set<String> repeated, long made, long deferred) {}

    private static Outcome run(List<NormalizedReading> arrivals, int budget) {
        try (EngagementDriver d = new EngagementDriver(Map.of(), EngagementStores.Kind.IN_MEMORY)) {
            d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                    .setPointsPerDonation(10)
                    .setDonationBudget(budget)
                    .setTeamStepsPerDonation(0)
                    .setPoints(PointRules.newBuilder().setMilestones(Map.of()).build())
                    .build());
            for (int p = 0; p < 4; p++) {
                d.profile("p-" + p, "UTC");
            }
            arrivals.forEach(d::send);
            d.advanceWallClock(Duration.ofSeconds(2));
            Set<String> ids = new TreeSet<>();
            Set<String> seen = new HashSet<>();
            Set<String> repeated = new TreeSet<>();
            long made = 0;
            long deferred = 0;
            for (Donation don : d.donations) {
                ids.add(don.getDonationId());
                if (!seen.add(don.getDonationId() + "/" + don.getStatus())) {
                    repeated.add(don.getDonationId() + "/" + don.getStatus());
                }
                if (don.getStatus() == DonationStatus.DEFERRED) {
                    deferred++;
                } else {
                    made++;
                }
            }
            return new Outcome(ids, repeated, made, deferred);
        }
    }
}
