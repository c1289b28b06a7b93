package io.engage.streams.coaching;

import io.engage.streams.activity.Zones;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A participant's next timed nudge, as kept in the schedule (store {@code engagement-nudge-schedule}, keyed by due
 * time then participant): the slot and the zone it was computed in, used when the profile has none.
 */
public record NudgeDue(NudgeSlot slot, String zoneId) {
    public NudgeDue {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(zoneId, "zoneId");
    }

    public ZoneId zone() {
        return Zones.of(zoneId);
    }

    /** Store serde: layout 1 (docs/rules.md, "Bounded state"). */
    public static Serde<NudgeDue> serde() {
        return StateCodec.serde("nudge schedule entry", 1, NudgeDue::write, NudgeDue::read);
    }

    private static void write(NudgeDue d, StateCodec.Out out) throws IOException {
        out.code(NudgeCodes.code(d.slot.type()))
                .date(d.slot.date())
                .string(d.slot.slot())
                .int64(d.slot.dueAt().toEpochMilli())
                .string(d.zoneId);
    }

    private static NudgeDue read(StateCodec.In in) throws IOException {
        var type = NudgeCodes.type(in.code());
        LocalDate date = in.date();
        String slot = in.string();
        Instant due = Instant.ofEpochMilli(in.int64());
        return new NudgeDue(new NudgeSlot(type, date, slot, due), in.string());
    }
}
