package io.engage.ingest.normalize;

import io.engage.avro.NormalizedReading;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.ingest.validation.CanonicalReading;
import io.engage.ingest.validation.ReadingValidator;
import io.engage.ingest.validation.Validation;
import io.engage.processing.RecordDecoder;
import io.engage.processing.RegistryUnavailableException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * Decides the fate of one {@code readings.raw} record (docs/ingest.md): decode; the checks needing no reference
 * data ({@link ReadingValidator}: MALFORMED .. TOO_LATE, in order); then UNKNOWN_DEVICE (no pairing) and
 * NO_CONSENT (no profile, or consent false). Reads no clock: "received" is the reading's {@code receivedAt}
 * when the gateway API set it, else the record timestamp, and a dead letter's {@code rejectedAt} is the record
 * timestamp, so reprocessing the same records gives the same outputs.
 */
public final class ReadingNormalizer {
    /** Device id of a dead letter whose record had neither a key nor a decodable value. */
    public static final String UNKNOWN_DEVICE_ID = "unknown";

    /** Lookups of the reference data at processing time. */
    public interface ReferenceData {
        /** The device's pairing, or null when it is not paired. */
        DevicePairing pairing(String deviceId);

        /** The participant's consent and zone, or null when there is no profile (never created, or erased). */
        ConsentProfile profile(String participantId);
    }

    private final RecordDecoder<RawReading> decoder;
    private final ReadingValidator validator;

    ReadingNormalizer(RecordDecoder<RawReading> decoder, ReadingValidator validator) {
        this.decoder = decoder;
        this.validator = validator;
    }

    /**
     * The outcome for a record with {@code key}, {@code value} bytes and {@code timestamp}.
     *
     * @throws RegistryUnavailableException when the value cannot be decoded because the registry cannot answer
     */
    public Outcome normalize(String key, byte[] value, Headers headers, long timestamp, ReferenceData reference) {
        Instant recordTime = Instant.ofEpochMilli(timestamp);
        String keyDevice = blank(key) ? UNKNOWN_DEVICE_ID : key;
        if (value == null) {
            return rejected(
                    keyDevice,
                    null,
                    RejectReason.MALFORMED,
                    "tombstone: a record with a null value is not a reading",
                    null,
                    null,
                    recordTime);
        }
        String[] failure = new String[1];
        RawReading raw = decoder.decode(headers, value, reason -> failure[0] = reason);
        if (raw == null) {
            return rejected(
                    keyDevice,
                    null,
                    RejectReason.MALFORMED,
                    "undecodable record: " + failure[0],
                    null,
                    value,
                    recordTime);
        }
        String device = blank(raw.getDeviceId()) ? keyDevice : raw.getDeviceId();
        if (!blank(key) && !blank(raw.getDeviceId()) && !key.equals(raw.getDeviceId())) {
            return rejected(
                    device,
                    raw.getMetric(),
                    RejectReason.MALFORMED,
                    "record key '" + key + "' is not the reading's deviceId '" + raw.getDeviceId()
                            + "' (readings.raw is keyed by device id)",
                    raw,
                    null,
                    recordTime);
        }
        Instant received = raw.getReceivedAt() != null ? raw.getReceivedAt() : recordTime;
        Validation validation = validator.check(raw, received);
        if (validation instanceof Validation.Invalid invalid) {
            return rejected(device, raw.getMetric(), invalid.reason(), invalid.detail(), raw, null, recordTime);
        }
        CanonicalReading reading = ((Validation.Valid) validation).reading();
        DevicePairing pairing = reference.pairing(reading.deviceId());
        if (pairing == null) {
            return rejected(
                    device,
                    raw.getMetric(),
                    RejectReason.UNKNOWN_DEVICE,
                    "device '" + reading.deviceId() + "' is not paired with a participant",
                    raw,
                    null,
                    recordTime);
        }
        if (pairing.gateway() != null && !pairing.gateway().equals(raw.getGatewayId())) {
            // the device is bound to one gateway (docs/ingest.md, "Devices bound to a gateway")
            return rejected(
                    device,
                    raw.getMetric(),
                    RejectReason.UNKNOWN_DEVICE,
                    "device '" + reading.deviceId() + "' is bound to another gateway",
                    raw,
                    null,
                    recordTime);
        }
        ConsentProfile profile = reference.profile(pairing.participantId());
        if (profile == null || !profile.consent()) {
            // Metadata only: no values, no times, no participant id (docs/ingest.md).
            String detail = profile == null
                    ? "the device's participant has no profile (none yet, or erased)"
                    : "the device's participant has not consented";
            return rejected(device, reading.metric().name(), RejectReason.NO_CONSENT, detail, null, null, recordTime);
        }
        NormalizedReading normalized = NormalizedReading.newBuilder()
                .setParticipantId(pairing.participantId())
                .setDeviceId(reading.deviceId())
                .setDeviceType(pairing.type())
                .setMetric(reading.metric())
                .setValue(reading.value())
                .setStart(reading.start())
                .setEnd(reading.end())
                .setOffsetSeconds(reading.offsetSeconds())
                .setZoneId(profile.zoneId())
                .setReceivedAt(reading.receivedAt())
                .setSourceRecordId(reading.sourceRecordId())
                .build();
        return new Outcome.Normalized(pairing.participantId(), normalized);
    }

    private static Outcome rejected(
            String deviceId,
            String metric,
            RejectReason reason,
            String detail,
            RawReading reading,
            byte[] payload,
            Instant at) {
        RejectedReading deadLetter = RejectedReading.newBuilder()
                .setDeviceId(deviceId)
                .setMetric(blank(metric) ? null : metric)
                .setReason(reason)
                .setDetail(detail)
                .setReading(reading)
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .setRejectedAt(at)
                .build();
        return new Outcome.Rejected(deviceId, deadLetter);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
