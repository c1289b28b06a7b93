package io.engage.streams;

import io.engage.avro.Cheer;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.social.CheerOutcome;
import io.engage.streams.social.CheerRules;
import io.engage.streams.state.ExpiryIndex;
import io.engage.streams.state.PrefixDelete;
import io.engage.streams.state.StoreKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumbing of the cheers (docs/social.md) around {@link CheerRules}, on the giver's task ({@code social.cheers} is
 * keyed by the giver): reads both profiles and the giver's programme, lets the rules decide, remembers the counted
 * cheer ids and the giver's counted cheers per local day (both expire with the late horizon), stores the giver's
 * points, forwards the award, donation intents and the recipient's received cheer, and counts every outcome in
 * {@code engage_cheers_total}.
 */
final class Cheers {
    private static final Logger LOG = LoggerFactory.getLogger(Cheers.class);
    private static final byte[] PRESENT = new byte[0];

    /** The expiry index's kind for a giver's cheers of one local date. */
    static final String EXPIRY_KIND = "cheers";
    /** The cheer counter's name; Prometheus shows it as {@code engage_cheers_total}. */
    static final String METRIC = "engage.cheers";

    private final KeyValueStore<String, byte[]> seen;
    private final KeyValueStore<String, Long> given;
    private final KeyValueStore<String, PointsBalance> points;
    private final KeyValueStore<String, ProfileView> profiles;
    private final Function<String, ProgramRules> programs;
    private final ExpiryIndex expiry;
    private final Duration lateHorizon;
    private final Duration skew;
    private final Duration retention;
    private final MeterRegistry metrics;
    private final Consumer<Record<String, EngagementOutput>> forward;

    Cheers(
            KeyValueStore<String, byte[]> seen,
            KeyValueStore<String, Long> given,
            KeyValueStore<String, PointsBalance> points,
            KeyValueStore<String, ProfileView> profiles,
            Function<String, ProgramRules> programs,
            ExpiryIndex expiry,
            Duration lateHorizon,
            Duration skew,
            Duration retention,
            MeterRegistry metrics,
            Consumer<Record<String, EngagementOutput>> forward) {
        this.seen = seen;
        this.given = given;
        this.points = points;
        this.profiles = profiles;
        this.programs = programs;
        this.expiry = expiry;
        this.lateHorizon = lateHorizon;
        this.skew = skew;
        this.retention = retention;
        this.metrics = metrics;
        this.forward = forward;
    }

    /** Judges one cheer received at {@code receivedAt}. */
    void process(Cheer cheer, Instant receivedAt) {
        String giverId = cheer.getFrom();
        ProfileView giver = profiles.get(giverId);
        ProfileView recipient = profiles.get(cheer.getTo());
        ProgramRules program = giver == null ? null : programs.apply(giver.programId());
        CheerRules.Decision d = CheerRules.decide(
                new CheerRules.GiverState() {
                    @Override
                    public boolean counted(String cheerId) {
                        // a cheer counted before cheer ids were kept as digests is under its id
                        return seen.get(StoreKeys.join(giverId, digest(cheerId))) != null
                                || seen.get(StoreKeys.join(giverId, cheerId)) != null;
                    }

                    @Override
                    public int countedOn(LocalDate date) {
                        Long n = given.get(StoreKeys.day(giverId, date));
                        return n == null ? 0 : n.intValue();
                    }

                    @Override
                    public PointsBalance points() {
                        return points.get(giverId);
                    }
                },
                new CheerRules.Input(cheer, giver, recipient, program, receivedAt, lateHorizon, skew));
        metrics.counter(
                        METRIC,
                        "outcome",
                        d.outcome().outcomeLabel(),
                        "reason",
                        d.outcome().reasonLabel())
                .increment();
        if (d.outcome() != CheerOutcome.COUNTED) {
            LOG.debug("dropping cheer '{}': {}", cheer.getCheerId(), d.outcome());
            return;
        }
        String dayKey = StoreKeys.day(giverId, d.giverDate());
        String cheerDigest = digest(cheer.getCheerId());
        seen.put(StoreKeys.join(giverId, cheerDigest), PRESENT);
        given.put(dayKey, (long) d.countedOnDate());
        expiry.addIfAbsent(
                expiresAt(d.giverDate()),
                EXPIRY_KIND,
                StoreKeys.join(giverId, d.giverDate().toString(), cheerDigest));
        if (d.points() != null) {
            points.put(giverId, d.points());
        }
        List<EngagementOutput> outputs = d.outputs();
        for (EngagementOutput out : outputs) {
            forward.accept(new Record<>(giverId, out, receivedAt.toEpochMilli()));
        }
    }

    /**
     * How a counted cheer's id is kept: a SHA-256 digest (128 bits, hex), since a cheer id names the recipient
     * ({@code cheer:{from}:{to}:...}) and the giver's store entries must not hold another participant's id after that
     * participant's erasure (docs/privacy.md).
     */
    static String digest(String cheerId) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(cheerId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** When the counted cheers of a giver's local date expire. */
    private Instant expiresAt(LocalDate giverDate) {
        // the whole local date is past the late horizon once its UTC date (shifted by the widest offset) is
        return giverDate.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant().plus(retention);
    }

    /**
     * Forgets an erased giver (docs/privacy.md): their counted cheers, their counts per date and the expiry entries of
     * both (one per date and cheer). The cheers they gave stay counted for their recipients.
     */
    void forget(String giverId) {
        String prefix = StoreKeys.participantPrefix(giverId);
        List<String> cheerIds = new ArrayList<>();
        PrefixDelete.delete(seen, prefix).forEach(kv -> cheerIds.add(kv.key.substring(prefix.length())));
        for (var kv : PrefixDelete.delete(given, prefix)) {
            String date = kv.key.substring(prefix.length());
            for (String cheerId : cheerIds) {
                expiry.remove(expiresAt(LocalDate.parse(date)), EXPIRY_KIND, StoreKeys.join(giverId, date, cheerId));
            }
        }
    }

    /** Forgets an expired counted cheer ({@code giver NUL date NUL cheerId}) and its giver's count of that date. */
    void purge(String entry) {
        List<String> parts = StoreKeys.split(entry);
        seen.delete(StoreKeys.join(parts.get(0), parts.get(2)));
        given.delete(StoreKeys.join(parts.get(0), parts.get(1)));
    }
}
