package io.engage.streams.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.streams.EngagementOutput;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.activity.ReadingState;
import io.engage.streams.coaching.CoachingPreferences;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.streaks.StreakBook;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The engagement rules as a pure function: state and reading in, changed state and events out; no stores, no driver. */
class EngagementRulesTest {
    private static final String P = "p-1";
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final ProfileView PROFILE = new ProfileView(
            P,
            "prog-1",
            "t-1",
            "Europe/Berlin",
            true,
            null,
            null,
            new TreeSet<>(),
            "veterans",
            CoachingPreferences.DEFAULT,
            true,
            true,
            null);
    private static final ProgramRules PROGRAM = ProgramRules.defaults("prog-1");

    /** A participant's state in maps; {@link #apply} stores a decision the way the processor does. */
    private static final class MapState implements ParticipantState {
        final Map<Long, HourBucket> buckets = new HashMap<>();
        final Map<LocalDate, DayState> days = new HashMap<>();
        StreakBook streaks;
        PointsBalance points;

        @Override
        public HourBucket bucket(long epochHour) {
            return buckets.get(epochHour);
        }

        @Override
        public DayState day(LocalDate date) {
            return days.get(date);
        }

        @Override
        public StreakBook streaks() {
            return streaks;
        }

        @Override
        public PointsBalance points() {
            return points;
        }

        EngagementDecision apply(ReadingState reading) {
            EngagementDecision d =
                    EngagementRules.decide(this, new ReadingInput(P, PROFILE, PROGRAM, reading, reading.receivedAt()));
            d.buckets().forEach((h, b) -> {
                if (b.isEmpty()) {
                    buckets.remove(h);
                } else {
                    buckets.put(h, b);
                }
            });
            days.putAll(d.days());
            streaks = d.streaks() != null ? d.streaks() : streaks;
            points = d.points() != null ? d.points() : points;
            return d;
        }
    }

    private static ReadingState steps(String device, double value, String start, String end, String received) {
        return reading(device, Metric.steps, value, start, end, received);
    }

    private static ReadingState reading(
            String device, Metric metric, double value, String start, String end, String received) {
        return new ReadingState(
                device,
                metric,
                Instant.parse(start),
                Instant.parse(end),
                value,
                "Europe/Berlin",
                Instant.parse(received),
                0);
    }

    @Test
    void aFirstReadingOpensItsDayAndFillsOneBucket() {
        MapState state = new MapState();
        EngagementDecision d = state.apply(
                steps("trk-1", 1200, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:05:00Z"));
        long hour = HourBucket.hourOf(Instant.parse("2026-11-20T08:00:00Z"));
        assertThat(d.buckets()).containsOnlyKeys(hour);
        assertThat(d.newBuckets()).containsExactly(hour);
        assertThat(d.buckets().get(hour).readings()).hasSize(1);
        assertThat(d.days()).containsOnlyKeys(DAY);
        assertThat(d.days().get(DAY).steps()).isEqualTo(1200);
        assertThat(d.outputs()).singleElement().isInstanceOf(EngagementOutput.Daily.class);
        assertThat(d.streaks()).as("untouched").isNull();
        assertThat(d.points()).as("untouched").isNull();
    }

    @Test
    void theStateItWasGivenIsNotChanged() {
        MapState state = new MapState();
        state.apply(steps("trk-1", 1200, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:05:00Z"));
        Map<Long, HourBucket> buckets = Map.copyOf(state.buckets);
        Map<LocalDate, DayState> days = Map.copyOf(state.days);
        EngagementRules.decide(
                state,
                new ReadingInput(
                        P,
                        PROFILE,
                        PROGRAM,
                        steps("trk-1", 9000, "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z", "2026-11-20T10:05:00Z"),
                        Instant.parse("2026-11-20T10:05:00Z")));
        assertThat(state.buckets).isEqualTo(buckets);
        assertThat(state.days).isEqualTo(days);
    }

    @Test
    void anExactRepeatChangesNothingAndAnEarlierDifferentValueIsStale() {
        MapState state = new MapState();
        state.apply(steps("trk-1", 1200, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:05:00Z"));
        EngagementDecision repeat = state.apply(
                steps("trk-1", 1200, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T11:00:00Z"));
        assertThat(repeat.outputs()).isEmpty();
        assertThat(repeat.days()).isEmpty();
        assertThat(repeat.buckets()).as("only the later receipt is remembered").hasSize(1);
        EngagementDecision stale = state.apply(
                steps("trk-1", 5000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:01:00Z"));
        assertThat(stale).isEqualTo(EngagementDecision.NONE);
        assertThat(state.days.get(DAY).steps()).isEqualTo(1200);
    }

    @Test
    void aCorrectionReplacesTheValueAndASecondDeviceCountsOnlyAboveTheFirst() {
        MapState state = new MapState();
        state.apply(steps("trk-1", 1200, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:05:00Z"));
        state.apply(steps("gls-1", 1000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:06:00Z"));
        assertThat(state.days.get(DAY).steps())
                .as("the hour's maximum over devices")
                .isEqualTo(1200);
        EngagementDecision d = state.apply(
                steps("trk-1", 900, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T12:00:00Z"));
        assertThat(state.days.get(DAY).steps())
                .as("the glasses are now the maximum")
                .isEqualTo(1000);
    }

    @Test
    void crossingTheStepGoalEmitsTheGoalItsPointsAndTheDayInThatOrder() {
        MapState state = new MapState();
        state.apply(steps("trk-1", 6000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:05:00Z"));
        EngagementDecision d = state.apply(
                steps("trk-1", 1500, "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z", "2026-11-20T10:05:00Z"));
        assertThat(d.outputs()).hasSize(3);
        assertThat(d.outputs().get(0)).isInstanceOfSatisfying(EngagementOutput.Goal.class, g -> {
            assertThat(g.event().getEventId()).isEqualTo("goal:p-1:2026-11-20:steps");
            assertThat(g.event().getTotalAtCrossing()).isEqualTo(7500);
            assertThat(g.event().getLate()).isFalse();
        });
        assertThat(d.outputs().get(1))
                .isInstanceOfSatisfying(
                        EngagementOutput.Points.class,
                        p -> assertThat(p.award().getAwardId()).isEqualTo("points:p-1:2026-11-20:STEP_GOAL"));
        assertThat(d.outputs().get(2)).isInstanceOf(EngagementOutput.Daily.class);
        assertThat(d.points()).isEqualTo(new PointsBalance(10, 1, 0));
        assertThat(d.streaks().goalDays()).containsExactly(DAY);
        assertThat(state.apply(steps(
                                "trk-1", 500, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", "2026-11-20T11:05:00Z"))
                        .outputs())
                .as("once per day")
                .hasSize(1);
    }

    @Test
    void passingAPointsThresholdSendsOneDonationIntentPerThreshold() {
        MapState state = new MapState();
        state.points = new PointsBalance(95, 12, 0);
        EngagementDecision d = state.apply(
                steps("trk-1", 8000, "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:05:00Z"));
        List<EngagementOutput.Intent> intents = d.outputs().stream()
                .filter(EngagementOutput.Intent.class::isInstance)
                .map(EngagementOutput.Intent.class::cast)
                .toList();
        assertThat(intents).singleElement().satisfies(i -> {
            assertThat(i.intent().sequence()).isEqualTo(1);
            assertThat(i.intent().beneficiary()).isEqualTo("veterans");
        });
        assertThat(d.points()).isEqualTo(new PointsBalance(105, 13, 1));
    }

    @Test
    void aHeartRateCorrectionRecomputesMinAndMaxFromTheDaysReadings() {
        MapState state = new MapState();
        state.apply(reading(
                "trk-1",
                Metric.heart_rate,
                60,
                "2026-11-20T08:10:00Z",
                "2026-11-20T08:10:00Z",
                "2026-11-20T09:05:00Z"));
        state.apply(reading(
                "trk-1",
                Metric.heart_rate,
                90,
                "2026-11-20T12:10:00Z",
                "2026-11-20T12:10:00Z",
                "2026-11-20T13:05:00Z"));
        assertThat(state.days.get(DAY).heartRate().min()).isEqualTo(60);
        // the 60 was wrong: corrected to 75, so the minimum moves up to it
        state.apply(reading(
                "trk-1",
                Metric.heart_rate,
                75,
                "2026-11-20T08:10:00Z",
                "2026-11-20T08:10:00Z",
                "2026-11-20T14:00:00Z"));
        assertThat(state.days.get(DAY).heartRate().min()).isEqualTo(75);
        assertThat(state.days.get(DAY).heartRate().max()).isEqualTo(90);
        assertThat(state.days.get(DAY).heartRate().count()).isEqualTo(2);
    }
}
