package io.engage.streams.coaching;

import io.engage.avro.Channel;
import io.engage.avro.NudgeType;

/** Fixed one-byte codes of nudge types, channels and suppression reasons in stored state; never enum ordinals. */
final class NudgeCodes {
    private NudgeCodes() {}

    static int code(NudgeType t) {
        return switch (t) {
            case SCHEDULED_PROMPT -> 1;
            case BEHIND_PACE -> 2;
            case INACTIVITY -> 3;
            case STREAK_AT_RISK -> 4;
            case CELEBRATION -> 5;
        };
    }

    static NudgeType type(int code) {
        return switch (code) {
            case 1 -> NudgeType.SCHEDULED_PROMPT;
            case 2 -> NudgeType.BEHIND_PACE;
            case 3 -> NudgeType.INACTIVITY;
            case 4 -> NudgeType.STREAK_AT_RISK;
            case 5 -> NudgeType.CELEBRATION;
            default -> throw new IllegalArgumentException("unknown nudge type code " + code);
        };
    }

    static int code(Channel c) {
        return switch (c) {
            case push -> 1;
            case sms -> 2;
            case email -> 3;
        };
    }

    static Channel channel(int code) {
        return switch (code) {
            case 1 -> Channel.push;
            case 2 -> Channel.sms;
            case 3 -> Channel.email;
            default -> throw new IllegalArgumentException("unknown channel code " + code);
        };
    }

    static int code(SuppressReason r) {
        return switch (r) {
            case COACHING_OFF -> 1;
            case OPTED_OUT -> 2;
            case QUIET_HOURS -> 3;
            case DAILY_CAP -> 4;
            case PAUSED -> 5;
        };
    }

    static SuppressReason reason(int code) {
        return switch (code) {
            case 1 -> SuppressReason.COACHING_OFF;
            case 2 -> SuppressReason.OPTED_OUT;
            case 3 -> SuppressReason.QUIET_HOURS;
            case 4 -> SuppressReason.DAILY_CAP;
            case 5 -> SuppressReason.PAUSED;
            default -> throw new IllegalArgumentException("unknown suppression reason code " + code);
        };
    }
}
