package io.engage.streams.reference;

import io.engage.avro.Participant;
import io.engage.processing.ProfileZone;
import io.engage.streams.activity.Zones;
import io.engage.streams.coaching.CoachingPreferences;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the engagement topology keeps of a {@code participants} record: programme, team, zone, consent, the goal
 * preferences, the paused days, the chosen beneficiary group (null: the programme's default), the coaching
 * preferences and the social ones (leaderboard visibility, cheers on or off), and when the profile was written (an
 * erasure requested before it is of an earlier participant of the same id, docs/privacy.md). Nothing else of the
 * profile is held.
 */
public record ProfileView(
        String participantId,
        String programId,
        String teamId,
        String zoneId,
        boolean consent,
        Integer ownStepGoal,
        Boolean adaptiveGoal,
        NavigableSet<LocalDate> pausedDates,
        String beneficiary,
        CoachingPreferences coaching,
        boolean leaderboardVisible,
        boolean socialEnabled,
        Instant updatedAt) {
    public ProfileView {
        Objects.requireNonNull(participantId, "participantId");
        updatedAt = updatedAt == null ? Instant.EPOCH : updatedAt;
        Objects.requireNonNull(programId, "programId");
        pausedDates = Collections.unmodifiableNavigableSet(
                pausedDates == null ? new TreeSet<>() : new TreeSet<>(pausedDates));
        coaching = coaching == null ? CoachingPreferences.DEFAULT : coaching;
    }

    /** Whether the participant is in a team (a team id that is not blank). */
    public boolean inTeam() {
        return teamId != null && !teamId.isBlank();
    }

    /** The view of a profile; an unknown or blank time zone counts as none. */
    /**
     * The view of the {@code participants} record stored under {@code key}; null (the profile counts as deleted, fail
     * closed) when the record's {@code participantId} is not its key.
     */
    public static ProfileView of(String key, Participant p) {
        return key.equals(p.getParticipantId()) ? of(p) : null;
    }

    public static ProfileView of(Participant p) {
        NavigableSet<LocalDate> paused = new TreeSet<>(
                p.getPreferences() == null ? List.of() : p.getPreferences().getPausedDates());
        return new ProfileView(
                p.getParticipantId(),
                p.getProgramId(),
                p.getTeamId(),
                ProfileZone.normalize(p.getTimezone()),
                p.getConsent(),
                p.getStepGoal(),
                p.getAdaptiveGoal(),
                paused,
                p.getBeneficiary() == null ? null : p.getBeneficiary().name(),
                CoachingPreferences.of(p.getPreferences()),
                p.getPreferences() == null || p.getPreferences().getLeaderboardVisible(),
                p.getPreferences() == null || p.getPreferences().getSocialEnabled(),
                p.getUpdatedAt());
    }

    /** The profile's zone, if any. */
    public Optional<ZoneId> zone() {
        return zoneId == null ? Optional.empty() : Optional.of(Zones.of(zoneId));
    }

    /** Store serde. */
    public static Serde<ProfileView> serde() {
        return StateCodec.serde(
                "participant profile",
                5,
                ProfileView::write,
                in -> read(in, 5),
                java.util.Map.of(
                        1, in -> read(in, 1), 2, in -> read(in, 2), 3, in -> read(in, 3), 4, in -> read(in, 4)));
    }

    private static void write(ProfileView p, StateCodec.Out out) throws IOException {
        out.string(p.participantId)
                .string(p.programId)
                .string(p.teamId)
                .string(p.zoneId)
                .bool(p.consent)
                .nullableInt(p.ownStepGoal)
                .nullableBool(p.adaptiveGoal)
                .int32(p.pausedDates.size());
        for (LocalDate d : p.pausedDates) {
            out.date(d);
        }
        out.string(p.beneficiary);
        p.coaching.write(out);
        out.bool(p.leaderboardVisible).bool(p.socialEnabled).int64(p.updatedAt.toEpochMilli());
    }

    /**
     * Layout 1 had no beneficiary (it reads as the programme's default), layout 2 no coaching preferences, layout 3
     * no social preferences (they read as the defaults) and layout 4 no time of writing (it reads as the epoch).
     */
    private static ProfileView read(StateCodec.In in, int layout) throws IOException {
        String pid = in.string();
        String program = in.string();
        String team = in.string();
        String zone = in.string();
        boolean consent = in.bool();
        Integer own = in.nullableInt();
        Boolean adaptive = in.nullableBool();
        int n = in.int32();
        NavigableSet<LocalDate> paused = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            paused.add(in.date());
        }
        String beneficiary = layout >= 2 ? in.string() : null;
        CoachingPreferences coaching = layout >= 3 ? CoachingPreferences.read(in) : CoachingPreferences.DEFAULT;
        boolean visible = layout < 4 || in.bool();
        boolean social = layout < 4 || in.bool();
        Instant updatedAt = layout >= 5 ? Instant.ofEpochMilli(in.int64()) : Instant.EPOCH;
        return new ProfileView(
                pid,
                program,
                team,
                zone,
                consent,
                own,
                adaptive,
                paused,
                beneficiary,
                coaching,
                visible,
                social,
                updatedAt);
    }
}
