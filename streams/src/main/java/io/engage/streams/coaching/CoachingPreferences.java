package io.engage.streams.coaching;

import io.engage.avro.Channel;
import io.engage.avro.NudgeType;
import io.engage.avro.Preferences;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a participant decided about coaching (docs/coaching.md, "The participant decides"): coaching on or off, the
 * nudge types opted out of, quiet hours (a daily window of local time, [start, end), crossing midnight when end is
 * before start; start equal to end means none), the most nudges sent per local day, and the channel passed through.
 */
public record CoachingPreferences(
        boolean coaching,
        Set<NudgeType> optOut,
        LocalTime quietStart,
        LocalTime quietEnd,
        int maxPerDay,
        Channel channel) {
    /** Quiet hours when the profile gives none: 21:00 to 08:00. */
    public static final LocalTime QUIET_START = LocalTime.of(21, 0);

    public static final LocalTime QUIET_END = LocalTime.of(8, 0);

    /** The schema's defaults: coaching on, nothing opted out, quiet 21:00-08:00, 4 a day, push. */
    public static final CoachingPreferences DEFAULT =
            new CoachingPreferences(true, Set.of(), QUIET_START, QUIET_END, 4, Channel.push);

    public CoachingPreferences {
        optOut = optOut.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(optOut));
        Objects.requireNonNull(quietStart, "quietStart");
        Objects.requireNonNull(quietEnd, "quietEnd");
        Objects.requireNonNull(channel, "channel");
    }

    /** The preferences of a profile's record (null: the defaults). */
    public static CoachingPreferences of(Preferences p) {
        if (p == null) {
            return DEFAULT;
        }
        LocalTime start =
                p.getQuietHours() == null ? QUIET_START : p.getQuietHours().getStart();
        LocalTime end =
                p.getQuietHours() == null ? QUIET_END : p.getQuietHours().getEnd();
        return new CoachingPreferences(
                p.getCoaching(),
                Set.copyOf(p.getOptOut()),
                start,
                end,
                Math.max(0, p.getMaxNudgesPerDay()),
                p.getChannel() == null ? Channel.push : p.getChannel());
    }

    /** Whether {@code time} (local) falls in the quiet hours. */
    public boolean quietAt(LocalTime time) {
        if (quietStart.equals(quietEnd)) {
            return false;
        }
        if (quietStart.isBefore(quietEnd)) {
            return !time.isBefore(quietStart) && time.isBefore(quietEnd);
        }
        return !time.isBefore(quietStart) || time.isBefore(quietEnd); // crosses midnight
    }

    /** Writes these preferences to a store layout, with fixed codes (docs/rules.md, "Bounded state"). */
    public void write(StateCodec.Out out) {
        out.bool(coaching).int32(optOut.size());
        for (NudgeType t : NudgeType.values()) {
            if (!optOut.contains(t)) {
                continue;
            }
            out.code(NudgeCodes.code(t));
        }
        out.int32(quietStart.toSecondOfDay())
                .int32(quietEnd.toSecondOfDay())
                .int32(maxPerDay)
                .code(NudgeCodes.code(channel));
    }

    /** Reads what {@link #write} wrote. */
    public static CoachingPreferences read(StateCodec.In in) throws IOException {
        boolean coaching = in.bool();
        int n = in.int32();
        Set<NudgeType> optOut = EnumSet.noneOf(NudgeType.class);
        for (int i = 0; i < n; i++) {
            optOut.add(NudgeCodes.type(in.code()));
        }
        return new CoachingPreferences(
                coaching,
                optOut,
                LocalTime.ofSecondOfDay(in.int32()),
                LocalTime.ofSecondOfDay(in.int32()),
                in.int32(),
                NudgeCodes.channel(in.code()));
    }
}
