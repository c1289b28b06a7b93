package io.engage.streams.philanthropy;

import io.engage.streams.state.StateCodec;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the participant side of the topology sends to the programme's donation ledger (re-keyed by programme): a
 * participant's n-th points threshold, a team's steps since the last flush, or a participant's erasure (the ledger
 * forgets them, docs/privacy.md). The ledger decides what becomes a donation; an intent is only a fact about a
 * participant or a team.
 *
 * @param programId     the programme (the re-partitioning key)
 * @param participantId the participant, for a {@link Kind#PARTICIPANT} or {@link Kind#ERASE} intent
 * @param teamId        the team, for a {@link Kind#TEAM} intent
 * @param sequence      the threshold number n, for a participant
 * @param teamSteps     the team's step change (may be negative after a correction), for a team
 * @param beneficiary   the participant's chosen group, or null for the default (team intents: always null)
 * @param at            when the threshold was passed (the record time of the reading that passed it) or the steps
 *                      were flushed
 */
public record DonationIntent(
        Kind kind,
        String programId,
        String participantId,
        String teamId,
        long sequence,
        long teamSteps,
        String beneficiary,
        Instant at) {

    /** What the intent is; {@link #code} is its fixed code in the re-partition topic. */
    public enum Kind {
        /** A participant's points threshold. */
        PARTICIPANT(0),
        /** A team's step change. */
        TEAM(1),
        /** A participant was erased. */
        ERASE(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown donation intent kind " + code);
        }
    }

    public DonationIntent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(at, "at");
        if (kind == Kind.PARTICIPANT) {
            Objects.requireNonNull(participantId, "participantId");
            if (sequence < 1) {
                throw new IllegalArgumentException("threshold numbers start at 1, was " + sequence);
            }
        } else if (kind == Kind.ERASE) {
            Objects.requireNonNull(participantId, "participantId");
        } else {
            Objects.requireNonNull(teamId, "teamId");
        }
    }

    /** The participant's n-th points threshold. */
    public static DonationIntent participant(
            String programId, String participantId, long n, String beneficiary, Instant at) {
        return new DonationIntent(Kind.PARTICIPANT, programId, participantId, null, n, 0, beneficiary, at);
    }

    /** A change of a team's cumulative steps. */
    public static DonationIntent teamSteps(String programId, String teamId, long steps, Instant at) {
        return new DonationIntent(Kind.TEAM, programId, null, teamId, 0, steps, null, at);
    }

    /** The participant was erased: the programme's ledger forgets them. */
    public static DonationIntent erase(String programId, String participantId, Instant at) {
        return new DonationIntent(Kind.ERASE, programId, participantId, null, 0, 0, null, at);
    }

    /** Serde for the internal re-partition topic. */
    public static Serde<DonationIntent> serde() {
        return StateCodec.serde(
                "donation intent",
                1,
                (i, out) -> out.int32(i.kind.code)
                        .string(i.programId)
                        .string(i.participantId)
                        .string(i.teamId)
                        .int64(i.sequence)
                        .int64(i.teamSteps)
                        .string(i.beneficiary)
                        .int64(i.at.toEpochMilli()),
                in -> new DonationIntent(
                        Kind.ofCode(in.int32()),
                        in.string(),
                        in.string(),
                        in.string(),
                        in.int64(),
                        in.int64(),
                        in.string(),
                        Instant.ofEpochMilli(in.int64())));
    }
}
