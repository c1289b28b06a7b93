package io.engage.streams.philanthropy;

import io.engage.avro.Beneficiary;
import io.engage.avro.Donation;
import io.engage.avro.DonationStatus;
import io.engage.streams.state.StateCodec;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;

/** A donation waiting for budget: what its {@code RELEASED} record will say. */
public record DeferredDonation(
        String donationId,
        String programId,
        String participantId,
        String teamId,
        int sequence,
        String beneficiary,
        String item,
        Instant triggeredAt) {

    /** The donation record with {@code status}, decided at {@code decidedAt}. */
    public Donation toAvro(DonationStatus status, Instant decidedAt) {
        return Donation.newBuilder()
                .setDonationId(donationId)
                .setProgramId(programId)
                .setParticipantId(participantId)
                .setTeamId(teamId)
                .setSequence(sequence)
                .setStatus(status)
                .setBeneficiary(Beneficiary.valueOf(beneficiary))
                .setItem(item)
                .setTriggeredAt(triggeredAt)
                .setDecidedAt(decidedAt)
                .build();
    }

    /** Store serde. */
    public static Serde<DeferredDonation> serde() {
        return StateCodec.serde(
                "deferred donation",
                1,
                (d, out) -> out.string(d.donationId)
                        .string(d.programId)
                        .string(d.participantId)
                        .string(d.teamId)
                        .int32(d.sequence)
                        .string(d.beneficiary)
                        .string(d.item)
                        .int64(d.triggeredAt.toEpochMilli()),
                in -> new DeferredDonation(
                        in.string(),
                        in.string(),
                        in.string(),
                        in.string(),
                        in.int32(),
                        in.string(),
                        in.string(),
                        Instant.ofEpochMilli(in.int64())));
    }
}
