package io.engage.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.streams.activity.DayState;
import io.engage.streams.philanthropy.ProgramLedger;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.testing.EngagementDriver;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/privacy.md: an erasure makes every store of the engagement application forget the participant, puts
 * tombstones on the participant's {@code activity.daily} and {@code standings} keys, keeps emitted donations and
 * team totals, leaves a teammate untouched, and a re-created participant of the same id starts empty.
 */
class ErasureTest {
    private static final String GONE = "alice-7f3";
    private static final String MATE = "bob-21c";
    private static final Instant T0 = EngagementDriver.NOW.minus(Duration.ofHours(2));
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    /** Every store name of the engagement application. */
    static List<String> storeNames() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field f : EngagementStores.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }

    /** Every entry of every store as "store key = value", with byte arrays shown as their length. */
    private Map<String, String> everything() throws IllegalAccessException {
        Map<String, String> out = new TreeMap<>();
        for (String store : storeNames()) {
            try (var it = d.driver.<String, Object>getKeyValueStore(store).all()) {
                it.forEachRemaining(kv -> out.put(
                        store + " " + kv.key.replace('\u0000', '/'),
                        kv.value instanceof byte[] b ? "bytes[" + b.length + "]" : String.valueOf(kv.value)));
            }
        }
        return out;
    }

    private static Map<String, String> of(Map<String, String> all, String who) {
        Map<String, String> out = new TreeMap<>();
        all.forEach((k, v) -> {
            if (k.contains(who) || v.contains(who)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Goal days, points, a streak, donations (one made, later ones deferred), standings, nudges and cheers. */
    private void history() {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setPointsPerDonation(10)
                .setDonationBudget(1)
                .setTeamStepsPerDonation(0)
                .build());
        d.profile(EngagementDriver.participant(GONE, "Europe/Berlin").build());
        d.profile(EngagementDriver.participant(MATE, "Europe/Berlin").build());
        for (int day = 17; day <= 20; day++) {
            String date = "2026-11-" + day;
            Instant received = day == 20 ? T0 : Instant.parse(date + "T20:00:00Z");
            d.steps(GONE, "trk-a", 9000, date + "T08:00:00Z", date + "T10:00:00Z")
                    .receivedAt(received)
                    .send();
            d.steps(MATE, "trk-b", 9000 + day, date + "T08:00:00Z", date + "T10:00:00Z")
                    .receivedAt(received)
                    .send();
        }
        d.send(EngagementDriver.cheer(GONE, MATE, T0), T0);
        d.send(EngagementDriver.cheer(MATE, GONE, T0), T0);
        d.advanceWallClock(Duration.ofHours(3)); // standings, team steps, the ledger, the coaching schedule
        d.collect();
    }

    @Test
    void anErasedParticipantIsForgottenEverywhereAndATeammateIsUntouched() throws Exception {
        history();
        Map<String, String> before = everything();
        assertThat(of(before, GONE).keySet())
                .as("the history reached every kind of state")
                .anyMatch(k -> k.startsWith(EngagementStores.DAYS))
                .anyMatch(k -> k.startsWith(EngagementStores.BUCKETS))
                .anyMatch(k -> k.startsWith(EngagementStores.STREAKS))
                .anyMatch(k -> k.startsWith(EngagementStores.POINTS))
                .anyMatch(k -> k.startsWith(EngagementStores.EXPIRY))
                .anyMatch(k -> k.startsWith(EngagementStores.NUDGE_SCHEDULE))
                .anyMatch(k -> k.startsWith(EngagementStores.NUDGES + " "))
                .anyMatch(k -> k.startsWith(EngagementStores.STANDINGS))
                .anyMatch(k -> k.startsWith(EngagementStores.RANKING))
                .anyMatch(k -> k.startsWith(EngagementStores.CHEERS_SEEN))
                .anyMatch(k -> k.startsWith(EngagementStores.CHEERS_GIVEN))
                .anyMatch(k -> k.startsWith(EngagementStores.CHEERS_RECEIVED))
                .anyMatch(k -> k.startsWith(EngagementStores.DONATION_ISSUERS))
                .anyMatch(k -> k.startsWith(EngagementStores.DONATION_DEFERRED))
                .anyMatch(k -> k.startsWith(EngagementStores.PROFILES));
        List<Donation> emitted = List.copyOf(d.donations);
        assertThat(emitted).extracting(Donation::getStatus).contains(DonationStatus.TRIGGERED, DonationStatus.DEFERRED);
        Map<String, Long> teamTotals = teamStandings();
        assertThat(teamTotals).isNotEmpty();
        ProgramLedger accountBefore = account();

        d.erase(GONE, EngagementDriver.NOW);
        d.advanceWallClock(Duration.ofSeconds(2));
        d.collect();

        Map<String, String> after = everything();
        assertThat(of(after, GONE))
                .as("nothing of the erased participant, by key or by value")
                .isEmpty();
        assertThat(of(after, MATE)).as("the teammate's state is as it was").isEqualTo(of(before, MATE));
        assertThat(teamStandings()).as("team totals keep their sums").isEqualTo(teamTotals);
        assertThat(d.days(GONE))
                .as("activity.daily: every day of the participant has a tombstone")
                .isEmpty();
        assertThat(d.standings().keySet())
                .as("standings: every key of the participant has a tombstone")
                .noneMatch(k -> k.contains(GONE))
                .anyMatch(k -> k.contains(MATE));
        assertThat(d.donations).as("emitted donations are kept, none is added").isEqualTo(emitted);
        ProgramLedger accountAfter = account();
        assertThat(accountAfter.made()).isEqualTo(accountBefore.made());
        assertThat(accountAfter.deferred())
                .as("the participant's deferred donations are withdrawn")
                .isLessThan(accountBefore.deferred());
        assertThat(d.queries().summary(GONE)).isEmpty();
    }

    @Test
    void aReCreatedParticipantOfTheSameIdStartsEmpty() {
        history();
        d.erase(GONE, EngagementDriver.NOW);
        d.advanceWallClock(Duration.ofSeconds(2));
        d.profile(
                EngagementDriver.participant(GONE, "Europe/Berlin")
                        .setUpdatedAt(EngagementDriver.NOW.plusSeconds(5))
                        .build(),
                EngagementDriver.NOW.plusSeconds(5));
        d.steps(GONE, "trk-new", 1200, "2026-11-20T13:00:00Z", "2026-11-20T13:30:00Z")
                .receivedAt(EngagementDriver.NOW.plusSeconds(10))
                .send();
        d.advanceWallClock(Duration.ofSeconds(2));
        DayState today = d.<DayState>store(EngagementStores.DAYS).get(GONE + "\u0000" + "2026-11-20");
        assertThat(today.steps()).as("only the new reading").isEqualTo(1200);
        assertThat(d.days(GONE)).containsOnlyKeys(LocalDate.parse("2026-11-20"));
        PointsBalance points = d.<PointsBalance>store(EngagementStores.POINTS).get(GONE);
        assertThat(points).as("no points yet: the step goal is not reached").isNull();
        assertThat(d.keys(EngagementStores.STREAKS)).doesNotContain(GONE);
    }

    @Test
    void anErasureRequestWaitsForTheProfileTombstoneAndReadingsInBetweenAreForgottenToo() throws Exception {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM).build());
        d.profile(EngagementDriver.participant(GONE, "UTC").build());
        d.steps(GONE, "trk-a", 3000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z")
                .receivedAt(T0)
                .send();
        // the request overtakes the tombstone: this instance still has the profile
        d.erasureRequest(GONE, EngagementDriver.NOW);
        d.steps(GONE, "trk-a", 500, "2026-11-20T09:00:00Z", "2026-11-20T09:30:00Z")
                .receivedAt(EngagementDriver.NOW)
                .send();
        assertThat(d.keys(EngagementStores.ERASURES)).containsExactly(GONE);
        assertThat(d.keys(EngagementStores.DAYS)).isNotEmpty();
        d.profileTombstone(GONE, EngagementDriver.NOW);
        d.advanceWallClock(Duration.ofMillis(200));
        assertThat(of(everything(), GONE)).isEmpty();
        assertThat(d.days(GONE)).isEmpty();
    }

    @Test
    void aRequestForAProfileWrittenAfterItIsCarriedOutAtOnce() throws Exception {
        // a DELETE and a new PUT of the same id reached this instance's profile store before the request
        d.profile(EngagementDriver.participant(GONE, "UTC").build());
        d.steps(GONE, "trk-a", 3000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z")
                .receivedAt(T0)
                .send();
        d.profile(
                EngagementDriver.participant(GONE, "UTC")
                        .setUpdatedAt(EngagementDriver.NOW.plusSeconds(1))
                        .build(),
                EngagementDriver.NOW.plusSeconds(1));
        d.erasureRequest(GONE, EngagementDriver.NOW);
        assertThat(d.keys(EngagementStores.ERASURES)).isEmpty();
        assertThat(d.keys(EngagementStores.DAYS)).isEmpty();
    }

    @Test
    void aParticipantWhoMovedProgrammeMidWeekLeavesNothingUnderEitherProgramme() throws Exception {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM).build());
        d.program(EngagementDriver.program("prog-2").build());
        d.profile(EngagementDriver.participant(GONE, "UTC").build());
        d.steps(GONE, "trk-a", 4000, "2026-11-16T08:00:00Z", "2026-11-16T09:00:00Z") // Monday
                .receivedAt(Instant.parse("2026-11-16T20:00:00Z"))
                .send();
        d.steps(GONE, "trk-a", 5000, "2026-11-17T08:00:00Z", "2026-11-17T09:00:00Z")
                .receivedAt(Instant.parse("2026-11-17T20:00:00Z"))
                .send();
        d.advanceWallClock(Duration.ofSeconds(2));
        d.profile(
                EngagementDriver.participant(GONE, "UTC").setProgramId("prog-2").build(),
                Instant.parse("2026-11-18T07:00:00Z"));
        d.steps(GONE, "trk-a", 6000, "2026-11-18T08:00:00Z", "2026-11-18T09:00:00Z")
                .receivedAt(Instant.parse("2026-11-18T20:00:00Z"))
                .send();
        d.advanceWallClock(Duration.ofSeconds(2));
        assertThat(d.keys(EngagementStores.RANKING))
                .as("the whole week moved: the new programme's places only, every day of the week")
                .allMatch(k -> k.startsWith("prog-2"))
                .hasSize(4);
        assertThat(participantStandings())
                .as("the old programme's keys of the week have tombstones; the week is under the new one")
                .containsEntry("prog-1/day/2026-11-16", "null")
                .containsEntry("prog-1/day/2026-11-17", "null")
                .containsEntry("prog-1/week/2026-11-16", "null")
                .containsEntry("prog-2/day/2026-11-16", "4000")
                .containsEntry("prog-2/day/2026-11-17", "5000")
                .containsEntry("prog-2/day/2026-11-18", "6000")
                .containsEntry("prog-2/week/2026-11-16", "15000");
        d.erase(GONE, EngagementDriver.NOW);
        d.advanceWallClock(Duration.ofSeconds(2));
        assertThat(of(everything(), GONE)).isEmpty();
        assertThat(participantStandings())
                .as("latest value per key, both programmes")
                .isNotEmpty()
                .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo("null"));
    }

    /** The latest {@code standings} value per participant key, as {@code programme/period/start} to steps or "null". */
    private Map<String, String> participantStandings() {
        d.collect();
        Map<String, String> latest = new TreeMap<>();
        d.standingRecords.stream()
                .filter(kv -> kv.key.getEntityId().equals(GONE))
                .forEach(kv -> latest.put(
                        kv.key.getProgramId() + "/" + kv.key.getPeriod() + "/" + kv.key.getPeriodStart(),
                        kv.value == null ? "null" : String.valueOf(kv.value.getSteps())));
        return latest;
    }

    @Test
    void aRequestWaitingForTheProfileStoreIsCarriedOutAfterAMinuteAtTheLatest() throws Exception {
        d.profile(EngagementDriver.participant(GONE, "UTC").build());
        d.steps(GONE, "trk-a", 3000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z")
                .receivedAt(T0)
                .send();
        d.erasureRequest(GONE, EngagementDriver.NOW); // its tombstone never comes
        d.advanceWallClock(Duration.ofSeconds(30));
        assertThat(d.keys(EngagementStores.DAYS)).isNotEmpty();
        d.advanceWallClock(Duration.ofSeconds(31));
        assertThat(d.keys(EngagementStores.DAYS)).isEmpty();
        assertThat(d.keys(EngagementStores.ERASURES)).isEmpty();
    }

    @Test
    void aRepeatedRequestDoesNotLaterWipeAParticipantCreatedAgain() {
        d.profile(EngagementDriver.participant(GONE, "UTC").build());
        d.erasureRequest(GONE, EngagementDriver.NOW.minusSeconds(10)); // waits: the profile is still here
        d.profileTombstone(GONE, EngagementDriver.NOW);
        d.erasureRequest(GONE, EngagementDriver.NOW); // carried out at once, and covers the first
        assertThat(d.keys(EngagementStores.ERASURES)).isEmpty();
        d.profile(
                EngagementDriver.participant(GONE, "UTC")
                        .setUpdatedAt(EngagementDriver.NOW.plusSeconds(5))
                        .build(),
                EngagementDriver.NOW.plusSeconds(5));
        d.steps(GONE, "trk-new", 1200, "2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                .receivedAt(EngagementDriver.NOW.plusSeconds(6))
                .send();
        d.advanceWallClock(Duration.ofMinutes(2));
        assertThat(d.keys(EngagementStores.DAYS)).containsExactly(GONE + "\u0000" + "2026-11-20");
    }

    @Test
    void aRequestWithoutAUsableIdIsSkippedAndTheTaskGoesOn() {
        d.profile(EngagementDriver.participant(MATE, "UTC").build());
        d.erasureRequest("bad\u0000id", EngagementDriver.NOW);
        d.steps(MATE, "trk-b", 1000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z")
                .receivedAt(T0)
                .send();
        assertThat(d.keys(EngagementStores.DAYS)).containsExactly(MATE + "\u0000" + "2026-11-20");
    }

    private Map<String, Long> teamStandings() {
        Map<String, Long> out = new TreeMap<>();
        try (var it = d.driver
                .<String, Long>getKeyValueStore(EngagementStores.TEAM_STANDINGS)
                .all()) {
            it.forEachRemaining(kv -> out.put(kv.key, kv.value));
        }
        return out;
    }

    private ProgramLedger account() {
        return d.<ProgramLedger>store(EngagementStores.DONATION_ACCOUNTS).get(EngagementDriver.PROGRAM);
    }
}
