package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.NormalizedReading;
import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: the day is the date in the profile's zone; a reading's own offset is used only when the profile has
 * none; UTC if neither.
 */
class ParticipantWithoutZoneTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-nozone", null);

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void withoutAProfileZoneTheReadingsOwnOffsetDecides() {
        // 23:30-00:30 at +05:30 (18:00Z-19:00Z): split across the 19th and the 20th at +05:30
        d.steps("p-nozone", "tracker-1", 800, "2026-11-19T23:30:00+05:30", "2026-11-20T00:30:00+05:30")
                .send();
        assertThat(d.day("p-nozone", "2026-11-19").getSteps()).isEqualTo(400);
        assertThat(d.day("p-nozone", "2026-11-20").getSteps()).isEqualTo(400);
        assertThat(d.day("p-nozone", "2026-11-20").getZoneId()).isEqualTo("+05:30");
    }

    @Test
    void withNeitherZoneNorAUsableOffsetTheDayIsUtc() {
        // an offset outside +-18:00 cannot be a zone offset: UTC it is (18:00Z-19:00Z is all on the 19th in UTC)
        d.send(NormalizedReading.newBuilder(
                        d.steps("p-nozone", "tracker-1", 800, "2026-11-19T18:00:00Z", "2026-11-19T19:00:00Z")
                                .build())
                .setOffsetSeconds(99 * 3600)
                .build());
        assertThat(d.days("p-nozone")).containsOnlyKeys(LocalDate.parse("2026-11-19"));
        assertThat(d.day("p-nozone", "2026-11-19").getZoneId()).isEqualTo("Z");
    }

    @Test
    void theProfileZoneWinsOverTheOffset() {
        assertThat(LocalDay.zoneFor("Asia/Kathmandu", 3600)).isEqualTo(ZoneId.of("Asia/Kathmandu"));
        assertThat(LocalDay.zoneFor(null, 3600)).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(LocalDay.zoneFor("Not/AZone", 3600))
                .as("an unknown zone counts as none")
                .isEqualTo(ZoneOffset.ofHours(1));
        assertThat(LocalDay.zoneFor(null, null)).isEqualTo(ZoneOffset.UTC);
    }
}
