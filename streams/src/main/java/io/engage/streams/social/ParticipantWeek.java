package io.engage.streams.social;

import io.engage.streams.state.StateCodec;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A participant's steps in one ISO week (docs/social.md): the steps of each local date Monday to Sunday (-1: no
 * standing that date), with the programme and team they were filed under and the leaderboard visibility when they
 * last changed. One entry holds the week and its days, so a reading reads and writes one entry.
 */
public final class ParticipantWeek {
    /** A date without a standing. */
    public static final long NONE = -1;

    private final String programId;
    private final String teamId;
    private final boolean visible;
    private final Instant updatedAt;
    private final long[] days;

    public ParticipantWeek(String programId, String teamId, boolean visible, Instant updatedAt, long[] days) {
        this.programId = Objects.requireNonNull(programId, "programId");
        this.teamId = teamId;
        this.visible = visible;
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        if (days.length != 7) {
            throw new IllegalArgumentException("a week has 7 days, not " + days.length);
        }
        this.days = days.clone();
    }

    /** A week without standings yet. */
    public static ParticipantWeek empty(String programId, String teamId, boolean visible, Instant at) {
        long[] none = new long[7];
        Arrays.fill(none, NONE);
        return new ParticipantWeek(programId, teamId, visible, at, none);
    }

    public String programId() {
        return programId;
    }

    public String teamId() {
        return teamId;
    }

    public boolean visible() {
        return visible;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** The steps of {@code date} (a date of this week), or {@link #NONE}. */
    public long day(LocalDate date) {
        return days[index(date)];
    }

    /** The steps of the week's day {@code i} (0 = Monday), or {@link #NONE}. */
    public long day(int i) {
        return days[i];
    }

    /** The week's steps: the sum of its days. */
    public long total() {
        long sum = 0;
        for (long d : days) {
            sum += Math.max(0, d);
        }
        return sum;
    }

    /** This week with {@code date}'s steps set, filed under the given programme, team and visibility. */
    public ParticipantWeek with(
            LocalDate date, long steps, String programId, String teamId, boolean visible, Instant at) {
        long[] copy = days.clone();
        copy[index(date)] = steps;
        return new ParticipantWeek(programId, teamId, visible, at, copy);
    }

    private static int index(LocalDate date) {
        return date.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue();
    }

    /** Store serde (layout 1: programme, team, visibility, update time, the seven days' steps + 1). */
    public static Serde<ParticipantWeek> serde() {
        return StateCodec.serde(
                "participant week",
                1,
                (w, out) -> {
                    out.string(w.programId).string(w.teamId).bool(w.visible).zigZag(w.updatedAt.toEpochMilli());
                    for (long d : w.days) {
                        out.varLong(d + 1);
                    }
                },
                in -> {
                    String program = in.string();
                    String team = in.string();
                    boolean visible = in.bool();
                    Instant at = Instant.ofEpochMilli(in.zigZag());
                    long[] days = new long[7];
                    for (int i = 0; i < 7; i++) {
                        days[i] = in.varLong() - 1;
                    }
                    return new ParticipantWeek(program, team, visible, at, days);
                });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParticipantWeek w
                && programId.equals(w.programId)
                && Objects.equals(teamId, w.teamId)
                && visible == w.visible
                && updatedAt.equals(w.updatedAt)
                && Arrays.equals(days, w.days);
    }

    @Override
    public int hashCode() {
        return Objects.hash(programId, teamId, visible, updatedAt, Arrays.hashCode(days));
    }

    @Override
    public String toString() {
        return "ParticipantWeek[" + programId + ", " + teamId + ", visible=" + visible + ", " + updatedAt + ", "
                + Arrays.toString(days) + "]";
    }
}
