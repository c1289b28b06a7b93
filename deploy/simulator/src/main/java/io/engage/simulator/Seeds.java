package io.engage.simulator;

import java.util.SplittableRandom;

/**
 * Counter-based randomness: every random choice draws from a generator seeded by the simulation seed and the
 * coordinates of the choice (participant, device, hour, purpose). A choice therefore never depends on the order
 * in which others were made, so the output is the same however generation is interleaved or resumed.
 */
final class Seeds {
    private Seeds() {}

    /** A generator for the choice at {@code coordinates} under {@code seed}. */
    static SplittableRandom rng(long seed, long... coordinates) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long c : coordinates) {
            h = mix(h ^ mix(c + 0x632BE59BD9B4E019L));
        }
        return new SplittableRandom(h);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A standard normal draw (Box-Muller with StrictMath, so it is the same on every JVM). */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(); // (0, 1]
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** A log-normal factor with median 1 and shape {@code sigma}. */
    static double logNormal(SplittableRandom r, double sigma) {
        return StrictMath.exp(sigma * gaussian(r));
    }

    /** Uniform in [lo, hi). */
    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** Purposes of draws, so draws for different purposes at the same coordinates are independent. */
    static final long ZONE_ORDER = 1,
            CONSENT = 2,
            GOAL = 3,
            BENEFICIARY = 4,
            PREFERENCES = 5,
            LEVEL = 6,
            BODY = 7,
            DEVICES = 8,
            HOME_ZONE = 9,
            TEAM = 10,
            DAY = 11,
            SLOT = 12,
            DEVICE_NOISE = 13,
            UNIT = 14,
            EVENTS = 15,
            OFFLINE = 16,
            SYNC_DELAY = 17,
            INVALID = 18,
            RESEND = 19,
            HEART = 20;
}
