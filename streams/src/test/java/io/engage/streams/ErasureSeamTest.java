package io.engage.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.engagement.AwaitedReading;
import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: consent withdrawn or erased, no new outputs appear, and the query answers nothing for an erased
 * participant (what an erasure forgets is ErasureTest's).
 */
class ErasureSeamTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void anErasedParticipantGetsNoNewOutputs() {
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .send();
        assertThat(d.dailyRecords).hasSize(1);
        d.erase("p-1", EngagementDriver.NOW);
        d.steps("p-1", "tracker-1", 8000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        d.collect();
        assertThat(d.dailyRecords).as("the day's tombstone, nothing new").hasSize(2);
        assertThat(d.dailyRecords.get(1).value).isNull();
        assertThat(d.goals).isEmpty();
        assertThat(d.points).isEmpty();
        assertThat(d.queries().summary("p-1")).isEmpty();
        assertThat(d.queries().day("p-1", LocalDate.parse("2026-11-20"))).isEmpty();
        d.advanceWallClock(AwaitedReading.WAIT.plusSeconds(1));
        d.collect();
        assertThat(d.dailyRecords).hasSize(2);
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).isEmpty();
    }

    @Test
    void withdrawnConsentGivesNoNewOutputs() {
        d.profile(
                EngagementDriver.participant("p-1", "Europe/Berlin")
                        .setConsent(false)
                        .build(),
                EngagementDriver.NOW);
        d.steps("p-1", "tracker-1", 8000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        assertThat(d.dailyRecords).isEmpty();
        assertThat(d.goals).isEmpty();
    }

    @Test
    void aReadingOfAParticipantWithoutProfileIsDropped() {
        d.steps("p-unknown", "tracker-9", 8000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        assertThat(d.dailyRecords).isEmpty();
        assertThat(d.readingKeys()).isEmpty();
        d.advanceWallClock(AwaitedReading.WAIT.plusSeconds(1));
        assertThat(d.dailyRecords)
                .as("dropped once the wait for the profile is over")
                .isEmpty();
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).isEmpty();
    }

    @Test
    void aProfileRecordWhoseKeyIsNotItsParticipantCountsAsDeleted() {
        d.profileUnderKey(
                "p-1", EngagementDriver.participant("p-2", "Europe/Berlin").build());
        assertThat(d.store(EngagementStores.PROFILES).get("p-1"))
                .as("fail closed")
                .isNull();
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        assertThat(d.dailyRecords).isEmpty();
    }
}
