package io.engage.streams.points;

import io.engage.streams.state.StateCodec;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A participant's points: the sum of their awards, how many there were, and how many donation thresholds the total
 * has passed so far (each passed threshold was sent to the donation ledger once).
 */
public record PointsBalance(long total, long awards, long donationThresholds) {
    public static final PointsBalance ZERO = new PointsBalance(0, 0, 0);

    public PointsBalance(long total, long awards) {
        this(total, awards, 0);
    }

    public PointsBalance plus(int points) {
        return new PointsBalance(total + points, awards + 1, donationThresholds);
    }

    /** The same balance with {@code n} thresholds passed. */
    public PointsBalance withDonationThresholds(long n) {
        return new PointsBalance(total, awards, n);
    }

    /**
     * Store serde: layout 3 (variable-length integers); layout 2 (fixed 8-byte integers) and layout 1 (no threshold
     * count, which reads as none passed) still read.
     */
    public static Serde<PointsBalance> serde() {
        return StateCodec.serde(
                "points balance",
                3,
                (b, out) -> out.zigZag(b.total).varLong(b.awards).varLong(b.donationThresholds),
                in -> new PointsBalance(in.zigZag(), in.varLong(), in.varLong()),
                Map.of(
                        2,
                        in -> new PointsBalance(in.int64(), in.int64(), in.int64()),
                        1,
                        in -> new PointsBalance(in.int64(), in.int64(), 0)));
    }
}
