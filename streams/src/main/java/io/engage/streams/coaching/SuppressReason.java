package io.engage.streams.coaching;

/** Why a due nudge was held back (docs/coaching.md), in the order the rules check them. */
public enum SuppressReason {
    /** The participant turned coaching off. */
    COACHING_OFF,
    /** The participant opted out of this type. */
    OPTED_OUT,
    /** The day is one of the participant's paused days. */
    PAUSED,
    /** The due time falls in the participant's quiet hours. */
    QUIET_HOURS,
    /** The participant's most nudges a day were already sent that day. */
    DAILY_CAP
}
