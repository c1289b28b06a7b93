package io.engage.streams.social;

import io.engage.streams.state.StateCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A change of a team's steps on one local date of its members (each member's own date, docs/social.md): what the
 * participant side sends to the team standings, re-keyed by programme.
 *
 * @param steps whole steps, negative after a correction
 * @param at    when the change was sent (the wall-clock flush)
 */
public record TeamDaySteps(String programId, String teamId, LocalDate date, long steps, Instant at) {
    public TeamDaySteps {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(at, "at");
    }

    /** Serde for the internal re-partition topic. */
    public static Serde<TeamDaySteps> serde() {
        return StateCodec.serde(
                "team day steps",
                1,
                (t, out) -> out.string(t.programId)
                        .string(t.teamId)
                        .date(t.date)
                        .zigZag(t.steps)
                        .zigZag(t.at.toEpochMilli()),
                in -> new TeamDaySteps(
                        in.string(), in.string(), in.date(), in.zigZag(), Instant.ofEpochMilli(in.zigZag())));
    }
}
