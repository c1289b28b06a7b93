package io.engage.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.engagement.AwaitedReading;
import io.engage.streams.testing.EngagementDriver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md, "Profiles, consent and erasure": the profiles are a global store, so a reading the normaliser passed
 * may reach the engagement task before its profile reaches this instance. It waits for the profile, in order with the
 * participant's later readings, and is dropped (and logged) only when no profile arrives within
 * {@link AwaitedReading#WAIT}.
 */
class ProfileWaitTest {
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void aReadingAheadOfItsProfileIsCountedWhenTheProfileArrives() {
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        assertThat(d.dailyRecords).isEmpty();
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).hasSize(1);

        d.profile("p-1", "Europe/Berlin").advanceWallClock(EngagementProcessor.AWAITING_CHECK_INTERVAL);

        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(3000);
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).isEmpty();
    }

    @Test
    void theWallClockCheckStopsWhileNothingWaitsAndStartsAgainForTheNextWaitingReading() {
        // nothing waits: the first check finds nothing and is not scheduled again
        d.advanceWallClock(Duration.ofSeconds(2));
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).hasSize(1);

        // no later reading of p-1 comes: only the check, scheduled again by the waiting reading, can count it
        d.profile("p-1", "Europe/Berlin").advanceWallClock(EngagementProcessor.AWAITING_CHECK_INTERVAL);

        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(3000);
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).isEmpty();

        d.advanceWallClock(Duration.ofSeconds(1));
        d.steps("p-2", "tracker-2", 500, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        d.profile("p-2", "Europe/Berlin").advanceWallClock(EngagementProcessor.AWAITING_CHECK_INTERVAL);
        assertThat(d.day("p-2", "2026-11-20").getSteps()).isEqualTo(500);
    }

    @Test
    void laterReadingsWaitBehindTheFirstAndAllCountOnce() {
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).hasSize(2);

        d.profile("p-1", "Europe/Berlin");
        // the next reading releases the waiting ones first, even before the wall-clock check
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T10:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();

        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).isEmpty();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(9000);
        d.advanceWallClock(Duration.ofSeconds(1));
        assertThat(d.day("p-1", "2026-11-20").getSteps())
                .as("nothing counted twice")
                .isEqualTo(9000);
    }

    @Test
    void aReadingWhoseProfileNeverArrivesIsDroppedAfterTheWait() {
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        d.advanceWallClock(AwaitedReading.WAIT.minusSeconds(1));
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE))
                .as("still waiting")
                .hasSize(1);

        d.advanceWallClock(Duration.ofSeconds(2));
        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).isEmpty();

        d.profile("p-1", "Europe/Berlin").advanceWallClock(Duration.ofSeconds(1));
        assertThat(d.dailyRecords).isEmpty();
        assertThat(d.readingKeys()).isEmpty();
    }

    @Test
    void aWaitingReadingOfAParticipantWithoutConsentProducesNothing() {
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                        .setConsent(false)
                        .build())
                .advanceWallClock(EngagementProcessor.AWAITING_CHECK_INTERVAL);

        assertThat(d.keys(EngagementStores.AWAITING_PROFILE)).isEmpty();
        assertThat(d.dailyRecords).isEmpty();
        assertThat(d.readingKeys()).isEmpty();
    }

    @Test
    void theWaitingReadingsOfOneParticipantDoNotHoldBackAnother() {
        d.profile("p-2", "Europe/Berlin");
        d.steps("p-1", "tracker-1", 3000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .zone("Europe/Berlin")
                .send();
        d.steps("p-2", "tracker-2", 4000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .send();

        assertThat(d.day("p-2", "2026-11-20").getSteps()).isEqualTo(4000);
        assertThat(d.days("p-1")).isEmpty();
    }
}
