package io.engage.streams.engagement;

import io.engage.streams.reference.ProfileView;
import java.time.Duration;
import java.time.Instant;

/**
 * When an erasure request may be carried out (docs/privacy.md): the request and the profile's tombstone are written in
 * one transaction, but the profile reaches this instance through its global store, on another thread. The engagement
 * state is forgotten once this instance no longer has the erased profile: it has the tombstone, or a profile written
 * after the request (a new participant of the same id). Readings counted while the request waits for that are
 * forgotten with the rest; readings after it find no profile and are dropped (docs/rules.md). A request still waiting
 * after {@link #WAIT} is carried out anyway.
 */
public final class ErasureRules {
    /** How long a request waits for this instance's profile store to catch up. */
    public static final Duration WAIT = Duration.ofMinutes(1);

    private ErasureRules() {}

    /**
     * Whether the erasure of a participant requested at {@code requestedAt} is carried out now.
     *
     * @param profile      the participant's profile as this instance has it, or null
     * @param waitingSince when this instance first looked at the request
     */
    public static boolean carryOut(ProfileView profile, Instant requestedAt, Instant waitingSince, Instant now) {
        return profile == null || profile.updatedAt().isAfter(requestedAt) || !now.isBefore(waitingSince.plus(WAIT));
    }
}
