package io.engage.streams.testing;

import io.engage.streams.coaching.CoachingPreferences;
import io.engage.streams.reference.ProfileView;
import java.util.TreeSet;

/** Profiles for tests that need one without its details: programme {@code prog-1}, no team, no own goals. */
public final class TestProfiles {
    private TestProfiles() {}

    /** A profile of {@code participantId} in {@code zone} with the default coaching preferences. */
    public static ProfileView plain(String participantId, String zone, boolean consent) {
        return new ProfileView(
                participantId,
                "prog-1",
                null,
                zone,
                consent,
                null,
                null,
                new TreeSet<>(),
                null,
                CoachingPreferences.DEFAULT,
                true,
                true,
                null);
    }
}
