package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Participants live in many zones, and their readings carry the zone's offset at each instant. */
class ZonesTest {

    @Test
    void thePopulationLivesInHalfAndQuarterHourZonesAndSomeGiveNoZone() {
        Population population = Population.of(Specs.clean().participants(12).build());

        assertThat(population.participants())
                .extracting(p -> p.getTimezone())
                .contains(
                        "Asia/Kathmandu",
                        "Asia/Kolkata",
                        "Australia/Adelaide",
                        "Australia/Lord_Howe",
                        "America/St_Johns",
                        "Pacific/Chatham",
                        "Europe/Amsterdam",
                        "America/New_York",
                        "America/Los_Angeles",
                        "Asia/Tokyo",
                        "UTC")
                .containsNull();
        assertThat(population.members())
                .allSatisfy(m -> assertThat(m.clockZone()).isNotNull());
    }

    @Test
    void everyReadingCarriesItsZonesOffsetAtThatInstantAcrossDaylightSavingChanges() {
        // 6 March .. 7 April 2026: New York and St John's spring forward (8 March), Europe (29 March),
        // Adelaide, Lord Howe (30-minute change) and Chatham fall back (5 April)
        SimulationSpec spec = Specs.clean()
                .participants(12)
                .startDate(LocalDate.of(2026, 3, 6))
                .days(33)
                .dualDeviceRate(0.5)
                .build();
        Population population = Population.of(spec);
        Map<ZoneId, Set<ZoneOffset>> offsetsByZone = new HashMap<>();
        Set<String> offsets = new HashSet<>();

        new ReadingGenerator(spec, population).readings().forEach(r -> {
            ZoneId zone = population.byDevice(r.deviceId()).orElseThrow().clockZone();
            OffsetDateTime start = OffsetDateTime.parse(r.raw().getStart());
            OffsetDateTime end = OffsetDateTime.parse(r.raw().getEnd());
            assertThat(start.getOffset()).as("%s", r).isEqualTo(zone.getRules().getOffset(start.toInstant()));
            assertThat(end.getOffset()).as("%s", r).isEqualTo(zone.getRules().getOffset(end.toInstant()));
            offsetsByZone.computeIfAbsent(zone, z -> new HashSet<>()).add(start.getOffset());
            offsets.add(start.getOffset().getId());
            if (!r.raw().getMetric().equals("heart_rate")) {
                // interval readings are local clock hours: they start on the hour, or where the clock jumped
                LocalDateTime local = LocalDateTime.ofInstant(start.toInstant(), zone);
                assertThat(local.getMinute() == 0 && local.getSecond() == 0 || isTransition(zone, start.toInstant()))
                        .as("%s", r)
                        .isTrue();
            }
        });

        assertThat(offsets)
                .contains(
                        "+05:45", "+05:30", "+12:45", "+13:45", "-03:30", "-02:30", "+10:30", "+11:00", "+01:00",
                        "+02:00", "Z");
        for (String changing : List.of(
                "America/New_York",
                "America/St_Johns",
                "Europe/Amsterdam",
                "Australia/Lord_Howe",
                "Pacific/Chatham",
                "Australia/Adelaide")) {
            assertThat(offsetsByZone.get(ZoneId.of(changing))).as(changing).hasSize(2);
        }
    }

    private static boolean isTransition(ZoneId zone, Instant t) {
        ZoneOffsetTransition tr = zone.getRules().previousTransition(t.plusSeconds(1));
        return tr != null && tr.getInstant().equals(t);
    }

    @Test
    void participantsWithoutAZoneStillSendTheirLocalOffset() {
        Population population = Population.of(Specs.clean().participants(12).build());
        List<SimulatedParticipant> noZone = population.members().stream()
                .filter(m -> m.profileZone().isEmpty())
                .toList();

        assertThat(noZone).isNotEmpty();
        assertThat(Population.ZONES).contains(noZone.get(0).clockZone().getId());
    }
}
