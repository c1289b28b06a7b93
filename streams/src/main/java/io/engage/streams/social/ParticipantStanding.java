package io.engage.streams.social;

import io.engage.streams.state.StateCodec;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A participant's steps in one local date or ISO week (docs/social.md), with the programme and team it was filed
 * under and the leaderboard visibility when it last changed.
 */
public record ParticipantStanding(String programId, String teamId, long steps, boolean visible, Instant updatedAt) {
    public ParticipantStanding {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Store serde (layout 1: programme, team, steps, visibility, update time). */
    public static Serde<ParticipantStanding> serde() {
        return StateCodec.serde(
                "participant standing",
                1,
                (s, out) -> out.string(s.programId)
                        .string(s.teamId)
                        .zigZag(s.steps)
                        .bool(s.visible)
                        .zigZag(s.updatedAt.toEpochMilli()),
                in -> new ParticipantStanding(
                        in.string(), in.string(), in.zigZag(), in.bool(), Instant.ofEpochMilli(in.zigZag())));
    }
}
