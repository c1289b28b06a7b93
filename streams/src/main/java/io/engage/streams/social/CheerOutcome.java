package io.engage.streams.social;

/** What became of a cheer (docs/social.md): counted, or dropped with the reason. */
public enum CheerOutcome {
    /** Counted for the recipient's day; the giver earns points up to the programme's daily cap. */
    COUNTED,
    /** The giver or the recipient has no profile (unknown, or erased). */
    UNKNOWN_PARTICIPANT,
    /** The giver or the recipient has not consented (or withdrew). */
    NO_CONSENT,
    /** The giver or the recipient turned social features off ({@code socialEnabled=false}). */
    SOCIAL_DISABLED,
    /** A participant cheering themselves. */
    SELF,
    /** The cheer's time is before the late horizon (it could no longer change a day). */
    TOO_LATE,
    /** The cheer's time is after the moment it was received, beyond the clock-skew tolerance. */
    FUTURE,
    /** The cheer id was already counted (a re-sent cheer). */
    DUPLICATE;

    /** The {@code outcome} label of {@code engage_cheers_total}. */
    public String outcomeLabel() {
        return this == COUNTED ? "counted" : "dropped";
    }

    /** The {@code reason} label of {@code engage_cheers_total} (empty when counted). */
    public String reasonLabel() {
        return this == COUNTED ? "" : name();
    }
}
