package io.engage.streams.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Cheer;
import io.engage.avro.DeviceType;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import io.engage.avro.StandingPeriod;
import io.engage.schemas.AvroTrust;
import io.engage.streams.EngagementStores;
import io.engage.streams.testing.EngagementDriver;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * docs/social.md: standings, leaderboards and counted cheers depend on what arrived, not on its order or on
 * duplicates. Any permutation with any duplication of a set of steps readings (some corrected up or down later) and
 * cheers of three participants in three zones and two teams gives the same standings on {@code standings}, the same
 * participant and team leaderboards of every day and week, the same cheer points per giver (the cap decides how many
 * earn points, not which) and the same received cheers per day; and each standing equals the days it sums.
 */
class SocialOrderPropertyTest {
    static {
        AvroTrust.install();
    }

    private static final String[] PIDS = {"p-a", "p-b", "p-c"};
    private static final String[] ZONES = {"Pacific/Auckland", "America/Los_Angeles", "Asia/Kathmandu"};
    private static final String[] TEAMS = {"team-1", "team-1", "team-2"};
    private static final Instant FIRST = Instant.parse("2026-11-15T00:00:00Z");

    record Gen(int participant, int startMinute, int minutes, double intensity, int correction) {}

    record CheerGen(int from, int to, int minute) {}

    @Provide
    Arbitrary<Gen> readings() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 4 * 24 * 60 - 1),
                        Arbitraries.of(5, 30, 60, 180),
                        Arbitraries.doubles().between(0, 1).ofScale(3),
                        Arbitraries.integers().between(0, 5))
                .as(Gen::new);
    }

    @Provide
    Arbitrary<CheerGen> cheers() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 4 * 24 * 60 - 1))
                .as(CheerGen::new);
    }

    @Property(tries = 30)
    void orderAndDuplicatesDoNotChangeStandingsLeaderboardsOrCheers(
            @ForAll @Size(min = 3, max = 30) List<@From("readings") Gen> generated,
            @ForAll @Size(max = 15) List<@From("cheers") CheerGen> cheers,
            @ForAll long seed) {
        List<Object> set = new ArrayList<>(readingSet(generated));
        for (CheerGen c : cheers) {
            set.add(EngagementDriver.cheer(PIDS[c.from()], PIDS[c.to()], FIRST.plusSeconds(c.minute() * 60L)));
        }
        Outcome oracle = run(set);

        Random random = new Random(seed);
        List<Object> arrivals = new ArrayList<>();
        for (Object o : set) {
            for (int copies = 1 + random.nextInt(3); copies > 0; copies--) {
                arrivals.add(o);
            }
        }
        Collections.shuffle(arrivals, random);
        Outcome shuffled = run(arrivals);

        assertThat(shuffled.standings).as("standings").isEqualTo(oracle.standings);
        assertThat(shuffled.boards).as("leaderboards").isEqualTo(oracle.boards);
        assertThat(shuffled.cheerPoints).as("cheer points per giver").isEqualTo(oracle.cheerPoints);
        assertThat(shuffled.received).as("received cheers").isEqualTo(oracle.received);
        assertThat(oracle.standings).as("standings are the sums of the days").containsAllEntriesOf(oracle.fromDays);
    }

    /** Distinct steps readings, then for some a later-received correction (up or down). */
    private static List<NormalizedReading> readingSet(List<Gen> generated) {
        Map<String, NormalizedReading> byIdentity = new LinkedHashMap<>();
        List<NormalizedReading> corrections = new ArrayList<>();
        int i = 0;
        for (Gen g : generated) {
            i++;
            Instant start = FIRST.plusSeconds(g.startMinute() * 60L);
            String pid = PIDS[g.participant()];
            NormalizedReading r = NormalizedReading.newBuilder()
                    .setParticipantId(pid)
                    .setDeviceId("trk-" + pid)
                    .setDeviceType(DeviceType.tracker)
                    .setMetric(Metric.steps)
                    .setValue(Math.round(g.intensity() * 150 * g.minutes()))
                    .setStart(start)
                    .setEnd(start.plusSeconds(g.minutes() * 60L))
                    .setOffsetSeconds(0)
                    .setZoneId(ZONES[g.participant()])
                    .setReceivedAt(EngagementDriver.NOW.plusSeconds(i))
                    .build();
            String identity = pid + "|" + r.getStart() + "|" + r.getEnd();
            if (byIdentity.putIfAbsent(identity, r) == null && g.correction() < 2) {
                double factor = g.correction() == 0 ? 0.4 : 1.7; // down or up
                corrections.add(NormalizedReading.newBuilder(r)
                        .setValue(Math.round(r.getValue() * factor))
                        .setReceivedAt(EngagementDriver.NOW.plusSeconds(10_000 + i))
                        .build());
            }
        }
        List<NormalizedReading> set = new ArrayList<>(byIdentity.values());
        set.addAll(corrections);
        return set;
    }

    record Outcome(
            Map<String, Long> standings,
            Map<String, List<String>> boards,
            Map<String, Long> cheerPoints,
            Map<String, Long> received,
            Map<String, Long> fromDays) {}

    private static Outcome run(List<Object> arrivals) {
        try (EngagementDriver d = new EngagementDriver(Map.of(), EngagementStores.Kind.IN_MEMORY)) {
            for (int p = 0; p < PIDS.length; p++) {
                d.profile(EngagementDriver.participant(PIDS[p], ZONES[p])
                        .setTeamId(TEAMS[p])
                        .build());
            }
            for (Object o : arrivals) {
                if (o instanceof NormalizedReading r) {
                    d.send(r);
                } else {
                    // every cheer received a minute after it was given
                    Cheer c = (Cheer) o;
                    d.send(c, c.getAt().plusSeconds(60));
                }
            }
            d.advanceWallClock(Duration.ofSeconds(1)); // the last team step changes
            Map<String, Long> standings = d.standings();
            Map<String, List<String>> boards = new TreeMap<>();
            Map<String, Long> received = new TreeMap<>();
            for (int day = -1; day < 6; day++) {
                LocalDate date = LocalDate.parse("2026-11-15").plusDays(day);
                for (StandingPeriod period : StandingPeriod.values()) {
                    boards.put(
                            period + "/" + date,
                            Leaderboards.merge(
                                            d.social()
                                                    .participantsPartial(EngagementDriver.PROGRAM, period, date, 10)
                                                    .values(),
                                            10)
                                    .stream()
                                    .map(r -> r.id() + "=" + r.steps())
                                    .toList());
                    boards.put(
                            "teams/" + period + "/" + date,
                            d.social().teams(EngagementDriver.PROGRAM, period, date, 10).stream()
                                    .map(r -> r.id() + "=" + r.steps())
                                    .toList());
                }
                for (String pid : PIDS) {
                    received.put(pid + "/" + date, d.social().cheersReceived(pid, date));
                }
            }
            Map<String, Long> cheerPoints = new TreeMap<>();
            for (PointsAwarded p : d.points) {
                if (p.getReason() == PointsReason.CHEER_GIVEN) {
                    cheerPoints.merge(p.getParticipantId() + "/" + p.getDate(), (long) p.getPoints(), Long::sum);
                }
            }
            Map<String, Long> fromDays = new TreeMap<>();
            for (String pid : PIDS) {
                d.days(pid).forEach((date, day) -> {
                    if (day.getSteps() > 0) {
                        fromDays.put("participant/" + pid + "/day/" + date, (long) day.getSteps());
                    }
                });
            }
            return new Outcome(standings, boards, cheerPoints, received, fromDays);
        }
    }
}
