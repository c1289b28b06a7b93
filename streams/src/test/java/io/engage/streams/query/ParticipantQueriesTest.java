package io.engage.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.streams.testing.EngagementDriver;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The participant part of the query API (docs/query.md), answered from the stores. */
class ParticipantQueriesTest {
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void summaryOfAParticipant() {
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                .setStepGoal(8000)
                .build());
        for (String date : new String[] {"2026-11-17", "2026-11-18", "2026-11-19"}) {
            d.steps("p-1", "tracker-1", 8000, date + "T09:00:00+01:00", date + "T12:00:00+01:00")
                    .send();
        }
        d.steps("p-1", "tracker-1", 1000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();

        ParticipantSummary s = d.queries().summary("p-1").orElseThrow();
        assertThat(s)
                .isEqualTo(new ParticipantSummary(
                        "p-1",
                        EngagementDriver.PROGRAM,
                        "team-1",
                        LocalDate.parse("2026-11-20"),
                        8000,
                        3,
                        3,
                        3 * 10 + 5,
                        0,
                        100L - 35));
    }

    @Test
    void donationsOfAParticipantAndOfTheProgramme() {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setPointsPerDonation(20)
                .setDonationBudget(1)
                .setMaxDonationsPerParticipant(2)
                .setTeamStepsPerDonation(0)
                .build());
        d.profile(EngagementDriver.participant("p-1", "UTC")
                .setBeneficiary(io.engage.avro.Beneficiary.seniors)
                .build());
        d.profile("p-2", "UTC");
        assertThat(d.queries().donations(EngagementDriver.PROGRAM))
                .as("a programme without donations yet")
                .contains(new ProgramDonations(EngagementDriver.PROGRAM, 1, 0, 0, 1, new java.util.TreeMap<>()));
        for (String date : new String[] {"2026-11-17", "2026-11-18"}) {
            d.steps("p-1", "tracker-1", 8000, date + "T09:00:00Z", date + "T12:00:00Z")
                    .send();
        }
        d.steps("p-2", "tracker-2", 8000, "2026-11-17T09:00:00Z", "2026-11-17T12:00:00Z")
                .send();
        assertThat(d.queries().summary("p-1").orElseThrow())
                .extracting(
                        ParticipantSummary::points,
                        ParticipantSummary::donations,
                        ParticipantSummary::pointsToNextDonation)
                .containsExactly(20L, 1L, 20L);
        assertThat(d.queries().summary("p-2").orElseThrow())
                .extracting(
                        ParticipantSummary::points,
                        ParticipantSummary::donations,
                        ParticipantSummary::pointsToNextDonation)
                .containsExactly(10L, 0L, 10L);
        d.steps("p-1", "tracker-1", 8000, "2026-11-19T09:00:00Z", "2026-11-19T12:00:00Z")
                .send(); // 30 + 5 (streak of 3)
        d.steps("p-1", "tracker-1", 8000, "2026-11-20T09:00:00Z", "2026-11-20T12:00:00Z")
                .send(); // 45
        assertThat(d.queries().summary("p-1").orElseThrow())
                .extracting(
                        ParticipantSummary::points,
                        ParticipantSummary::donations,
                        ParticipantSummary::pointsToNextDonation)
                .as("at the cap of 2 donations there is no next one")
                .containsExactly(45L, 2L, null);
        assertThat(d.queries().donations(EngagementDriver.PROGRAM))
                .contains(new ProgramDonations(
                        EngagementDriver.PROGRAM,
                        1,
                        1,
                        1,
                        0,
                        new java.util.TreeMap<>(java.util.Map.of("seniors", 1L))));
        assertThat(d.queries().donations("no-such-programme")).isEmpty();
    }

    @Test
    void todayIsTheParticipantsLocalDate() {
        d.profile("p-kiritimati", "Pacific/Kiritimati"); // UTC+14: at 12:00Z it is already the 21st
        d.profile("p-nozone", null);
        d.steps("p-nozone", "tracker-1", 100, "2026-11-20T09:00:00-10:00", "2026-11-20T10:00:00-10:00")
                .send();
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T05:00:00Z"), ZoneOffset.UTC);
        assertThat(d.queries(clock).summary("p-kiritimati").orElseThrow().today())
                .isEqualTo(LocalDate.parse("2026-11-21"));
        assertThat(d.queries(clock).summary("p-nozone").orElseThrow().today())
                .as("no profile zone: the zone of the latest day (-10:00)")
                .isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(d.queries(clock).summary("p-kiritimati").orElseThrow().stepGoalToday())
                .isEqualTo(7000);
    }

    @Test
    void dayView() {
        d.profile("p-1", "Europe/Berlin");
        d.steps("p-1", "tracker-1", 7100, "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        d.reading("p-1", "tracker-1", Metric.distance, 5012.5, "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        d.reading(
                        "p-1",
                        "tracker-1",
                        Metric.active_minutes,
                        20,
                        "2026-11-20T09:00:00+01:00",
                        "2026-11-20T11:00:00+01:00")
                .send();
        d.reading("p-1", "tracker-1", Metric.calories, 310, "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        d.reading("p-1", "tracker-1", Metric.heart_rate, 80, "2026-11-20T09:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .send();
        d.reading("p-1", "tracker-1", Metric.heart_rate, 100, "2026-11-20T10:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();

        assertThat(d.queries().day("p-1", LocalDate.parse("2026-11-20")))
                .contains(new DayView(
                        "p-1",
                        LocalDate.parse("2026-11-20"),
                        new DayView.Totals(7100, 5012.5, 20, 310),
                        new DayView.HeartRate(80, 100, 90),
                        new DayView.Goals(7000, 30),
                        new DayView.Achieved(true, false)));
    }

    @Test
    void aDayWithoutDataAnswersZeros() {
        d.profile("p-1", "Europe/Berlin");
        assertThat(d.queries().day("p-1", LocalDate.parse("2026-11-01")))
                .contains(new DayView(
                        "p-1",
                        LocalDate.parse("2026-11-01"),
                        DayView.Totals.ZERO,
                        null,
                        new DayView.Goals(7000, 30),
                        new DayView.Achieved(false, false)));
        assertThat(d.queries().summary("p-1").orElseThrow())
                .isEqualTo(new ParticipantSummary(
                        "p-1",
                        EngagementDriver.PROGRAM,
                        "team-1",
                        LocalDate.parse("2026-11-20"),
                        7000,
                        0,
                        0,
                        0,
                        0,
                        100L));
    }

    @Test
    void anUnknownParticipantHasNoAnswer() {
        assertThat(d.queries().summary("nobody")).isEmpty();
        assertThat(d.queries().day("nobody", LocalDate.parse("2026-11-20"))).isEmpty();
    }
}
