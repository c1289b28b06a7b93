package io.engage.streams.engagement;

import io.engage.streams.activity.ReadingState;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.state.MetricCode;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A normalised reading whose participant's profile has not reached this instance yet (docs/rules.md, "Profiles,
 * consent and erasure"). The normaliser passes only readings of participants it knows with consent, so a missing
 * profile means the engagement application has not read that profile yet: the reading waits for it, up to
 * {@link #WAIT}, instead of being dropped.
 *
 * @param reading  the reading as it will be counted
 * @param at       the record's timestamp (when it was received), the rules' "now" for it
 * @param waitingSince wall-clock time at which it started waiting
 */
public record AwaitedReading(ReadingState reading, Instant at, Instant waitingSince) {
    /** How long a reading waits for its participant's profile before it is dropped (and logged). */
    public static final Duration WAIT = Duration.ofSeconds(60);

    public AwaitedReading {
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(waitingSince, "waitingSince");
    }

    /** What to do with a reading (a new one, or one waiting) given the participant's profile as this instance has it. */
    public enum Verdict {
        /** The profile is here with consent: count the reading. */
        COUNT,
        /** The profile is here without consent: the reading produces nothing. */
        DROP_NO_CONSENT,
        /** No profile yet: wait for it. */
        WAIT,
        /** No profile after {@link #WAIT}: drop it (logged: the profile never arrived, or the participant was erased). */
        DROP_NO_PROFILE
    }

    /** The verdict for a reading that arrives now (it cannot be overdue yet): count, drop or wait. */
    public static Verdict verdictOnArrival(ProfileView profile) {
        if (profile == null) {
            return Verdict.WAIT;
        }
        return profile.consent() ? Verdict.COUNT : Verdict.DROP_NO_CONSENT;
    }

    /** The verdict for a reading that has been waiting since {@code since} (or arrives now), at wall time {@code now}. */
    public static Verdict verdict(ProfileView profile, Instant since, Instant now) {
        Verdict onArrival = verdictOnArrival(profile);
        if (onArrival != Verdict.WAIT) {
            return onArrival;
        }
        return now.isBefore(since.plus(WAIT)) ? Verdict.WAIT : Verdict.DROP_NO_PROFILE;
    }

    /** Store serde: layout 1 (metric by fixed code, instants as seconds and nanoseconds). */
    public static Serde<AwaitedReading> serde() {
        return StateCodec.serde("reading awaiting its profile", 1, AwaitedReading::write, AwaitedReading::read);
    }

    private static void write(AwaitedReading a, StateCodec.Out out) throws IOException {
        ReadingState r = a.reading;
        out.code(MetricCode.of(r.metric())).string(r.deviceId()).string(r.zoneId());
        instant(out, r.start());
        instant(out, r.end());
        out.exactDouble(r.value());
        instant(out, r.receivedAt());
        out.zigZag(r.sourceOffset());
        instant(out, a.at);
        instant(out, a.waitingSince);
    }

    private static AwaitedReading read(StateCodec.In in) throws IOException {
        var metric = MetricCode.metric(in.code());
        String device = in.string();
        String zone = in.string();
        Instant start = instant(in);
        Instant end = instant(in);
        double value = in.exactDouble();
        Instant received = instant(in);
        long offset = in.zigZag();
        return new AwaitedReading(
                new ReadingState(device, metric, start, end, value, zone, received, offset), instant(in), instant(in));
    }

    private static void instant(StateCodec.Out out, Instant t) {
        out.zigZag(t.getEpochSecond()).varLong(t.getNano());
    }

    private static Instant instant(StateCodec.In in) throws IOException {
        long seconds = in.zigZag();
        return Instant.ofEpochSecond(seconds, in.varLong());
    }
}
