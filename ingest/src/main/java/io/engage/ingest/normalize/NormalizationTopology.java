package io.engage.ingest.normalize;

import io.engage.avro.Device;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Participant;
import io.engage.avro.RawReading;
import io.engage.avro.RejectedReading;
import io.engage.config.EngageConfig;
import io.engage.ingest.validation.ReadingValidator;
import io.engage.ingest.validation.ValidationPolicy;
import io.engage.processing.ProfileZone;
import io.engage.processing.RecordDecoder;
import io.engage.processing.ReferenceStoreUpdater;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The validation and normalisation topology (docs/ingest.md): {@code readings.raw} (key device id) to
 * {@code readings.normalized} (key participant id) or {@code readings.rejected} (key device id, with a reason).
 *
 * <pre>
 * devices      --> device-pairings  --> [normalizer-device-pairings]  (global store)
 * participants --> consent-profiles --> [normalizer-consent-profiles] (global store)
 * readings.raw --> readings-raw-source (bytes) --> validate-and-normalize --> route-normalized --> readings.normalized
 *                                                                         \-> route-rejected   --> readings.rejected
 * participants.erasures --> erasures-source --> unpair-devices --> devices (tombstones)
 * </pre>
 *
 * Values of {@code readings.raw} are read as bytes and decoded in {@code validate-and-normalize}, so garbage,
 * unknown schema ids, truncated records and tombstones are dead-lettered as {@code MALFORMED} and never stop the
 * application. The topology reads no clock and opens no client.
 */
public final class NormalizationTopology {
    /** Appended to {@code application.id} for this topology's Kafka Streams application. */
    public static final String APPLICATION_ID_SUFFIX = "-normalizer";

    public static final String RAW_SOURCE = "readings-raw-source";
    public static final String NORMALIZE = "validate-and-normalize";
    public static final String ROUTE = "route-";
    public static final String NORMALIZED_SINK = "readings-normalized-sink";
    public static final String REJECTED_SINK = "readings-rejected-sink";
    /** Processor updating the device pairings from {@code devices} (its source is this name + "-source"). */
    public static final String DEVICE_PAIRINGS = "device-pairings";
    /** Processor updating the consent profiles from {@code participants} (its source is this name + "-source"). */
    public static final String CONSENT_PROFILES = "consent-profiles";
    /** Reads {@code participants.erasures}. */
    public static final String ERASURES_SOURCE = "erasures-source";
    /** Unpairs an erased participant's devices ({@link UnpairErasedDevicesProcessor}). */
    public static final String UNPAIR_DEVICES = "unpair-devices";
    /** Global store: device id to {@link DevicePairing}. */
    public static final String DEVICE_PAIRINGS_STORE = "normalizer-device-pairings";
    /** Global store: participant id to {@link ConsentProfile}. */
    public static final String CONSENT_PROFILES_STORE = "normalizer-consent-profiles";

    private NormalizationTopology() {}

    /** The topology with serdes from the configuration's registry settings ({@code schema.registry.url}, ...). */
    public static Topology build(EngageConfig config) {
        return build(config, config.registryClientConfigs());
    }

    /** As {@link #build(EngageConfig)}, counting the outcomes ({@code engage_normalizer_readings_total}) in {@code metrics}. */
    public static Topology build(EngageConfig config, MeterRegistry metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, config, new TopicSerdes(config.registryClientConfigs()), metrics);
        return builder.build();
    }

    /** The topology with serdes configured by {@code serdeConfigs} (registry URL, serde settings). */
    public static Topology build(EngageConfig config, Map<String, ?> serdeConfigs) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, config, new TopicSerdes(serdeConfigs));
        return builder.build();
    }

    /** Adds the normaliser to {@code builder}: topic names from {@code topic.prefix}, limits from the config. */
    public static void addTo(StreamsBuilder builder, EngageConfig config, TopicSerdes serdes) {
        addTo(builder, config, serdes, new SimpleMeterRegistry());
    }

    /** Adds the normaliser to {@code builder}, counting the outcomes in {@code metrics}. */
    public static void addTo(StreamsBuilder builder, EngageConfig config, TopicSerdes serdes, MeterRegistry metrics) {
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        String raw = topics.name(Topics.READINGS_RAW);
        String devices = topics.name(Topics.DEVICES);
        String participants = topics.name(Topics.PARTICIPANTS);

        RecordDecoder<Device> deviceDecoder =
                new RecordDecoder<>(serdes.valueSerde(Topics.DEVICES).deserializer(), devices);
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(DEVICE_PAIRINGS_STORE),
                                Serdes.String(),
                                ReferenceSerdes.pairing())
                        .withLoggingDisabled(),
                devices,
                bytes(DEVICE_PAIRINGS),
                () -> new ReferenceStoreUpdater<>(
                        DEVICE_PAIRINGS_STORE, deviceDecoder, NormalizationTopology::pairing));

        RecordDecoder<Participant> participantDecoder =
                new RecordDecoder<>(serdes.valueSerde(Topics.PARTICIPANTS).deserializer(), participants);
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(CONSENT_PROFILES_STORE),
                                Serdes.String(),
                                ReferenceSerdes.consent())
                        .withLoggingDisabled(),
                participants,
                bytes(CONSENT_PROFILES),
                () -> new ReferenceStoreUpdater<>(
                        CONSENT_PROFILES_STORE, participantDecoder, NormalizationTopology::consent));

        RecordDecoder<RawReading> rawDecoder =
                new RecordDecoder<>(serdes.valueSerde(Topics.READINGS_RAW).deserializer(), raw);
        ReadingNormalizer normalizer =
                new ReadingNormalizer(rawDecoder, new ReadingValidator(ValidationPolicy.from(config)));

        Produced<String, NormalizedReading> toNormalized = Produced.with(
                        serdes.keySerde(Topics.READINGS_NORMALIZED), serdes.valueSerde(Topics.READINGS_NORMALIZED))
                .withName(NORMALIZED_SINK);
        Produced<String, RejectedReading> toRejected = Produced.with(
                        serdes.keySerde(Topics.READINGS_REJECTED), serdes.valueSerde(Topics.READINGS_REJECTED))
                .withName(REJECTED_SINK);

        builder.stream(topics.name(Topics.PARTICIPANT_ERASURES), bytes(ERASURES_SOURCE))
                .process(
                        () -> new UnpairErasedDevicesProcessor(new RecordDecoder<>(
                                serdes.valueSerde(Topics.PARTICIPANT_ERASURES).deserializer(),
                                topics.name(Topics.PARTICIPANT_ERASURES))),
                        Named.as(UNPAIR_DEVICES))
                .to(
                        devices,
                        Produced.with(serdes.keySerde(Topics.DEVICES), Serdes.ByteArray())
                                .withName("devices-unpaired-sink"));

        KStream<String, Outcome> outcomes = builder.stream(raw, bytes(RAW_SOURCE))
                .process(() -> new NormalizeReadingsProcessor(normalizer, metrics), Named.as(NORMALIZE));
        outcomes.split(Named.as(ROUTE))
                .branch(
                        (key, outcome) -> outcome instanceof Outcome.Normalized,
                        Branched.withConsumer(
                                normalized -> normalized
                                        .mapValues(
                                                o -> ((Outcome.Normalized) o).reading(), Named.as("normalized-value"))
                                        .to(topics.name(Topics.READINGS_NORMALIZED), toNormalized),
                                "normalized"))
                .defaultBranch(Branched.withConsumer(
                        rejected -> rejected.mapValues(
                                        o -> ((Outcome.Rejected) o).deadLetter(), Named.as("rejected-value"))
                                .to(topics.name(Topics.READINGS_REJECTED), toRejected),
                        "rejected"));
    }

    /** The Kafka Streams application id: {@code application.id} + {@value #APPLICATION_ID_SUFFIX}. */
    public static String applicationId(EngageConfig config) {
        return config.get(EngageConfig.APPLICATION_ID) + APPLICATION_ID_SUFFIX;
    }

    /**
     * Recommended Kafka Streams settings: application id, bootstrap servers, {@code processing.guarantee} and
     * {@code commit.interval.ms} from the config, state under {@code data.dir/streams}, the registry settings
     * (for the serdes and the {@link DeadLetterBackstop}), {@code kafka.*} pass-through, and the backstop
     * exception handlers. Pass-through settings cannot weaken acks=all, idempotence or read_committed.
     */
    public static Properties streamsProperties(EngageConfig config) {
        Properties p = io.engage.config.StreamsDefaults.properties(config, applicationId(config));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterBackstop.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterBackstop.class.getName());
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        p.put(DeadLetterBackstop.RAW_TOPIC_CONFIG, topics.name(Topics.READINGS_RAW));
        p.put(DeadLetterBackstop.REJECTED_TOPIC_CONFIG, topics.name(Topics.READINGS_REJECTED));
        return p;
    }

    /** Keys as strings, values as bytes: decoding happens in the processors, where failures can be handled. */
    private static Consumed<String, byte[]> bytes(String sourceName) {
        return Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(sourceName);
    }

    private static DevicePairing pairing(Device d) {
        if (d.getParticipantId() == null || d.getParticipantId().isBlank() || d.getType() == null) {
            return null;
        }
        return new DevicePairing(
                d.getParticipantId(),
                d.getType(),
                d.getGateway() == null ? null : d.getGateway(),
                d.getPairedAt() == null ? 0 : d.getPairedAt().toEpochMilli());
    }

    private static ConsentProfile consent(Participant p) {
        return new ConsentProfile(p.getConsent(), ProfileZone.normalize(p.getTimezone()));
    }
}
