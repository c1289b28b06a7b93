package io.engage.ingest.normalize;

import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Participant;
import io.engage.avro.Preferences;
import io.engage.avro.RawReading;
import io.engage.avro.RejectedReading;
import io.engage.config.CatalogueTestDriver;
import io.engage.config.EngageConfig;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The normalisation topology in a {@link TopologyTestDriver} with its own in-memory registry scope, typed input
 * and output topics, and helpers for reference data. Close it after each test.
 */
final class NormalizerDriver implements AutoCloseable {
    /** "Now" of the tests: the record timestamp unless a test says otherwise. */
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    final String registryUrl;
    final EngageConfig config;
    final TopicSerdes serdes;
    final TopicCatalogue topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, RawReading> raw;
    final TestInputTopic<String, byte[]> rawBytes;
    final TestInputTopic<String, Device> devices;
    final TestInputTopic<String, Participant> participants;
    final TestInputTopic<String, io.engage.avro.ParticipantErasure> erasures;
    final TestOutputTopic<String, Device> devicesOut;
    final TestOutputTopic<String, NormalizedReading> normalized;
    final TestOutputTopic<String, RejectedReading> rejected;
    private final CatalogueTestDriver test;

    NormalizerDriver() {
        this(Map.of());
    }

    /** With configuration overrides ({@code late.horizon}, {@code topic.prefix}, ...). */
    NormalizerDriver(Map<String, String> overrides) {
        this(overrides, new SimpleMeterRegistry());
    }

    /** With configuration overrides and the registry the normaliser counts its outcomes in. */
    NormalizerDriver(Map<String, String> overrides, MeterRegistry metrics) {
        test = new CatalogueTestDriver(
                "normalize",
                overrides,
                c -> NormalizationTopology.build(c, metrics),
                NormalizationTopology::streamsProperties,
                NOW);
        registryUrl = test.registryUrl;
        config = test.config;
        serdes = test.serdes;
        topics = test.topics;
        driver = test.driver;
        raw = test.input(Topics.READINGS_RAW);
        rawBytes = test.bytesInput(Topics.READINGS_RAW);
        devices = test.input(Topics.DEVICES);
        participants = test.input(Topics.PARTICIPANTS);
        erasures = test.input(Topics.PARTICIPANT_ERASURES);
        devicesOut = test.output(Topics.DEVICES);
        normalized = test.output(Topics.READINGS_NORMALIZED);
        rejected = test.output(Topics.READINGS_REJECTED);
    }

    /** Pairs {@code deviceId} with {@code participantId}. */
    NormalizerDriver pair(String deviceId, String participantId, DeviceType type) {
        return pair(deviceId, participantId, type, null);
    }

    /** Pairs a device bound to the gateway token named {@code gateway} (null: any gateway). */
    NormalizerDriver pair(String deviceId, String participantId, DeviceType type, String gateway) {
        devices.pipeInput(
                deviceId,
                Device.newBuilder()
                        .setDeviceId(deviceId)
                        .setParticipantId(participantId)
                        .setType(type)
                        .setPairedAt(NOW.minusSeconds(86_400))
                        .setGateway(gateway)
                        .build(),
                NOW.minusSeconds(86_400));
        return this;
    }

    /** Unpairs {@code deviceId} (tombstone). */
    NormalizerDriver unpair(String deviceId) {
        devices.pipeInput(deviceId, null, NOW.minusSeconds(60));
        return this;
    }

    /** Publishes a profile. */
    NormalizerDriver profile(String participantId, boolean consent, String timezone) {
        participants.pipeInput(participantId, participant(participantId, consent, timezone), NOW.minusSeconds(86_400));
        return this;
    }

    /** Only the profile's tombstone (its erasure request not read yet). */
    NormalizerDriver profileTombstone(String participantId) {
        participants.pipeInput(participantId, null, NOW.minusSeconds(60));
        return this;
    }

    /** Erases a participant as the admin API does: the profile's tombstone and the request. */
    NormalizerDriver erase(String participantId) {
        participants.pipeInput(participantId, null, NOW.minusSeconds(60));
        erasures.pipeInput(
                participantId,
                io.engage.avro.ParticipantErasure.newBuilder()
                        .setParticipantId(participantId)
                        .setRequestedAt(NOW.minusSeconds(60))
                        .build(),
                NOW.minusSeconds(60));
        return this;
    }

    static Participant participant(String participantId, boolean consent, String timezone) {
        return Participant.newBuilder()
                .setParticipantId(participantId)
                .setProgramId("prog-1")
                .setTeamId("team-1")
                .setTimezone(timezone)
                .setConsent(consent)
                .setStepGoal(8000)
                .setPreferences(Preferences.newBuilder().build())
                .setUpdatedAt(NOW.minusSeconds(86_400))
                .build();
    }

    /** Sends a reading keyed by its device id, timestamped {@link #NOW}. */
    void send(RawReading reading) {
        send(reading, NOW);
    }

    void send(RawReading reading, Instant recordTime) {
        raw.pipeInput(reading.getDeviceId(), reading, recordTime);
    }

    /** The only output of the last input: a dead letter (fails when something else or more came out). */
    RejectedReading onlyRejected() {
        if (!normalized.isEmpty()) {
            throw new AssertionError("expected a dead letter but a reading was normalised: " + normalized.readValue());
        }
        List<TestRecord<String, RejectedReading>> out = rejected.readRecordsToList();
        if (out.size() != 1) {
            throw new AssertionError("expected exactly one dead letter, got " + out);
        }
        if (!out.get(0).key().equals(out.get(0).value().getDeviceId())) {
            throw new AssertionError("dead letter not keyed by its device id: " + out.get(0));
        }
        return out.get(0).value();
    }

    /** The only output of the last input: a normalised reading keyed by participant id. */
    NormalizedReading onlyNormalized() {
        if (!rejected.isEmpty()) {
            throw new AssertionError("expected a normalised reading but got a dead letter: " + rejected.readValue());
        }
        List<TestRecord<String, NormalizedReading>> out = normalized.readRecordsToList();
        if (out.size() != 1) {
            throw new AssertionError("expected exactly one normalised reading, got " + out);
        }
        if (!out.get(0).key().equals(out.get(0).value().getParticipantId())) {
            throw new AssertionError("normalised reading not keyed by participant id: " + out.get(0));
        }
        return out.get(0).value();
    }

    @Override
    public void close() {
        test.close();
    }
}
