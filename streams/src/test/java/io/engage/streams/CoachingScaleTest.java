package io.engage.streams;

import static io.engage.streams.testing.TestStores.inMemory;
import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Nudge;
import io.engage.avro.NudgeType;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.coaching.NudgeDue;
import io.engage.streams.coaching.NudgeRecord;
import io.engage.streams.coaching.NudgeSlot;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.streaks.StreakBook;
import io.engage.streams.testing.TestProfiles;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * docs/coaching.md, "How scheduling scales": with 100,000 participants scheduled and 10 due, one check of the schedule
 * visits the 10 due entries, not the participants.
 */
class CoachingScaleTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void oneCheckVisitsTheDueEntriesOnly() {
        KeyValueStore<String, NudgeDue> schedule = inMemory(NudgeDue.serde());
        KeyValueStore<String, ProfileView> profiles = inMemory(ProfileView.serde());
        List<KeyValue<String, Nudge>> sent = new ArrayList<>();
        Coaching coaching = new Coaching(
                schedule,
                inMemory(NudgeRecord.serde()),
                profiles,
                ProgramRules::defaults,
                inMemory(DayState.serde()),
                inMemory(HourBucket.serde()),
                inMemory(StreakBook.serde()),
                new io.engage.streams.state.ExpiryIndex(
                        inMemory(org.apache.kafka.common.serialization.Serdes.ByteArray())),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                sent::add);
        for (int i = 0; i < 100_000; i++) {
            String pid = String.format("p-%06d", i);
            // ten are due a second ago, the others at some minute of the next 24 hours
            Instant due = i % 10_000 == 0 ? NOW.minusSeconds(1) : NOW.plus(Duration.ofMinutes(1 + i % 1440));
            LocalDate date = LocalDate.ofInstant(due, ZoneOffset.UTC);
            schedule.put(
                    Coaching.scheduleKey(due, pid),
                    new NudgeDue(new NudgeSlot(NudgeType.SCHEDULED_PROMPT, date, "x", due), "UTC"));
            profiles.put(pid, TestProfiles.plain(pid, "UTC", true));
        }

        assertThat(coaching.fire(NOW)).isEqualTo(10);
        assertThat(coaching.lastVisited).as("store entries the check visited").isLessThanOrEqualTo(12);
        assertThat(schedule.approximateNumEntries())
                .as("each due participant is scheduled again")
                .isEqualTo(100_000);
        assertThat(coaching.fire(NOW)).isZero();
        assertThat(coaching.lastVisited).isZero();
    }
}
