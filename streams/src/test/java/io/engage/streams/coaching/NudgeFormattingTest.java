package io.engage.streams.coaching;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.state.StoreKeys;
import java.time.LocalTime;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The slot labels, the numbers in nudge texts and the hex parts of schedule and nudge keys are built without a
 * {@link java.util.Formatter} (they are computed for every due nudge); they must read exactly as the format strings
 * they replace, so stored keys and sent texts do not change.
 */
class NudgeFormattingTest {

    @Test
    void everyMinuteOfTheDayIsLabelledAsHhColonMm() {
        for (int minute = 0; minute < 24 * 60; minute++) {
            LocalTime t = LocalTime.of(minute / 60, minute % 60);
            assertThat(NudgeSchedule.label(t))
                    .isEqualTo(String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute()));
        }
    }

    @Property
    void numbersAreGroupedAsCommaDFormatsThem(@ForAll long v) {
        assertThat(NudgeMessages.n(v)).isEqualTo(String.format(Locale.ROOT, "%,d", v));
    }

    @Property
    void smallNumbersAreGroupedAsCommaDFormatsThem(@ForAll @IntRange(min = -1_000_000, max = 10_000_000) int v) {
        assertThat(NudgeMessages.n(v)).isEqualTo(String.format(Locale.ROOT, "%,d", v));
    }

    @Property
    void hexKeysReadAsZeroPadded016x(@ForAll long v) {
        assertThat(StoreKeys.hex16(v)).isEqualTo(String.format("%016x", v)).hasSize(16);
    }

    @Test
    void edgeValuesOfTheHexAndNumberFormats() {
        for (long v : new long[] {0, 1, -1, 999, 1000, -999, -1000, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThat(StoreKeys.hex16(v)).isEqualTo(String.format("%016x", v));
            assertThat(NudgeMessages.n(v)).isEqualTo(String.format(Locale.ROOT, "%,d", v));
        }
    }
}
