package io.engage.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ZonesTest {
    @Test
    void givesWhatZoneIdOfGivesAndKeepsIt() {
        for (String id : new String[] {"Europe/Berlin", "Asia/Kathmandu", "UTC", "+05:45", "America/New_York"}) {
            assertThat(Zones.of(id)).isEqualTo(ZoneId.of(id));
            assertThat(Zones.of(id)).isSameAs(Zones.of(id));
        }
    }

    @Test
    void anInvalidIdFailsAsZoneIdOfDoesEveryTime() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> Zones.of("Mars/Olympus_Mons")).isInstanceOf(DateTimeException.class);
        }
    }
}
