package io.engage.cli.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One throughput measurement over the timed part of the input (after the warm-up).
 *
 * @param records        timed readings
 * @param warmup         readings sent (and awaited) before the clock started
 * @param seconds        first send of the timed part until all of it was visible downstream
 * @param perSecond      {@code records / seconds}
 * @param produceSeconds first send until the last producer acknowledgement of the timed part
 */
public record Throughput(long records, long warmup, double seconds, double perSecond, double produceSeconds) {

    /** The producer's own rate over the timed part: what the broker accepted, before anything read it. */
    @JsonProperty
    public double producePerSecond() {
        return produceSeconds > 0 ? records / produceSeconds : 0;
    }

    static Throughput of(long records, long warmup, long startNanos, long visibleNanos, long lastAckNanos) {
        double seconds = (visibleNanos - startNanos) / 1e9;
        return new Throughput(
                records, warmup, seconds, seconds > 0 ? records / seconds : 0, (lastAckNanos - startNanos) / 1e9);
    }
}
