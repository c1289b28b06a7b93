package io.engage.streams.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.engagement.AwaitedReading.Verdict;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.testing.TestProfiles;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The wait for a profile (docs/rules.md, "Profiles, consent and erasure"), as a pure decision. */
class AwaitedReadingTest {
    private static final Instant SINCE = Instant.parse("2026-11-20T08:00:00Z");
    private static final ProfileView CONSENTING = TestProfiles.plain("p-1", "UTC", true);
    private static final ProfileView WITHDRAWN = TestProfiles.plain("p-1", "UTC", false);

    @Test
    void aProfileDecidesAtOnceWhateverTheWait() {
        assertThat(AwaitedReading.verdict(CONSENTING, SINCE, SINCE)).isEqualTo(Verdict.COUNT);
        assertThat(AwaitedReading.verdict(
                        CONSENTING, SINCE, SINCE.plus(AwaitedReading.WAIT).plusSeconds(5)))
                .as("a profile that arrives late still counts the reading")
                .isEqualTo(Verdict.COUNT);
        assertThat(AwaitedReading.verdict(WITHDRAWN, SINCE, SINCE)).isEqualTo(Verdict.DROP_NO_CONSENT);
    }

    @Test
    void aReadingThatArrivesNowCountsDropsOrWaits() {
        assertThat(AwaitedReading.verdictOnArrival(CONSENTING)).isEqualTo(Verdict.COUNT);
        assertThat(AwaitedReading.verdictOnArrival(WITHDRAWN)).isEqualTo(Verdict.DROP_NO_CONSENT);
        assertThat(AwaitedReading.verdictOnArrival(null)).isEqualTo(Verdict.WAIT);
    }

    @Test
    void withoutAProfileTheReadingWaitsUpToTheLimit() {
        assertThat(AwaitedReading.verdict(null, SINCE, SINCE)).isEqualTo(Verdict.WAIT);
        assertThat(AwaitedReading.verdict(
                        null, SINCE, SINCE.plus(AwaitedReading.WAIT).minusMillis(1)))
                .isEqualTo(Verdict.WAIT);
        assertThat(AwaitedReading.verdict(null, SINCE, SINCE.plus(AwaitedReading.WAIT)))
                .isEqualTo(Verdict.DROP_NO_PROFILE);
    }
}
