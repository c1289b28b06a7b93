package io.engage.streams.engagement;

import io.engage.streams.activity.ReadingState;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import java.time.Instant;
import java.util.Objects;

/**
 * One normalised reading as the rules see it, with the participant's profile and programme at processing time.
 *
 * @param reading the reading (its zone resolved: the profile's, else its own offset, else UTC)
 * @param at      when it was received (the record timestamp): the time of every event it causes
 */
public record ReadingInput(
        String participantId, ProfileView profile, ProgramRules program, ReadingState reading, Instant at) {
    public ReadingInput {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(at, "at");
    }
}
