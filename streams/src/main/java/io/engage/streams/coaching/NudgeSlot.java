package io.engage.streams.coaching;

import io.engage.avro.NudgeType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One occasion for a nudge: its type, the participant's local date, the slot (the local time it is due, such as
 * {@code 10:00}, or {@code goal} for a celebration) and the instant it is due. A nudge id is made from the first three
 * and the participant ({@link io.engage.streams.engagement.EventIds#nudge}).
 */
public record NudgeSlot(NudgeType type, LocalDate date, String slot, Instant dueAt) implements Comparable<NudgeSlot> {
    /** The slot of a celebration: one per local day, whatever crossed the goal. */
    public static final String CELEBRATION_SLOT = "goal";

    public NudgeSlot {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(dueAt, "dueAt");
    }

    /** Due time first, then type and slot, so slots due at the same instant have one order. */
    @Override
    public int compareTo(NudgeSlot o) {
        int c = dueAt.compareTo(o.dueAt);
        if (c == 0) {
            c = type.compareTo(o.type);
        }
        return c != 0 ? c : slot.compareTo(o.slot);
    }
}
