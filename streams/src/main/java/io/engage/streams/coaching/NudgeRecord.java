package io.engage.streams.coaching;

import io.engage.avro.Channel;
import io.engage.avro.NudgeType;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * What became of one due nudge, kept per participant and local date (store {@code engagement-nudges}) for the daily
 * cap, for never deciding a slot twice and for the nudges query: sent (with id, channel and message) or held back
 * (with the reason).
 *
 * @param reason null when sent
 */
public record NudgeRecord(
        NudgeType type,
        String slot,
        Instant dueAt,
        Instant at,
        SuppressReason reason,
        String nudgeId,
        Channel channel,
        String message) {
    public NudgeRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(nudgeId, "nudgeId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
    }

    public boolean sent() {
        return reason == null;
    }

    /** Store serde: layout 1 (docs/rules.md, "Bounded state"). */
    public static Serde<NudgeRecord> serde() {
        return StateCodec.serde("nudge record", 1, NudgeRecord::write, NudgeRecord::read);
    }

    private static void write(NudgeRecord r, StateCodec.Out out) throws IOException {
        out.code(NudgeCodes.code(r.type))
                .string(r.slot)
                .int64(r.dueAt.toEpochMilli())
                .int64(r.at.toEpochMilli())
                .code(r.reason == null ? 0 : NudgeCodes.code(r.reason))
                .string(r.nudgeId)
                .code(NudgeCodes.code(r.channel))
                .text(r.message);
    }

    private static NudgeRecord read(StateCodec.In in) throws IOException {
        NudgeType type = NudgeCodes.type(in.code());
        String slot = in.string();
        Instant due = Instant.ofEpochMilli(in.int64());
        Instant at = Instant.ofEpochMilli(in.int64());
        int reason = in.code();
        return new NudgeRecord(
                type,
                slot,
                due,
                at,
                reason == 0 ? null : NudgeCodes.reason(reason),
                in.string(),
                NudgeCodes.channel(in.code()),
                in.text());
    }
}
