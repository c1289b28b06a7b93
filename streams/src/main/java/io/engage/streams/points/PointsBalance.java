package io.engage.streams.points;

import org.apache.kafka.common.serialization.Serde;

import io.engage.streams.state.StateCodec;

/** A participant's points: the sum of their awards, and how many there were. */
public record PointsBalance(long total, long awards) {
    public static final PointsBalance ZERO = new PointsBalance(0, 0);

    public PointsBalance plus(int points) {
        return new PointsBalance(total + points, awards + 1);
    }

    /** Store serde. */
    public static Serde<PointsBalance> serde() {
        return StateCodec.serde("points balance", 1,
                (b, out) -> out.int64(b.total).int64(b.awards),
                in -> new PointsBalance(in.int64(), in.int64()));
    }
}
