package io.engage.simulator;

import java.util.Locale;

/** How fast the simulator sends what it generates. */
public sealed interface Pace {

    /** No waiting: as fast as the sink takes it (benchmarks, back-fills). */
    record AsFastAsPossible() implements Pace {}

    /** At most {@code rate} readings per wall-clock second. */
    record ReadingsPerSecond(double rate) implements Pace {
        public ReadingsPerSecond {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("readings per second must be positive, was " + rate);
            }
        }
    }

    /** Simulated time runs {@code factor} times faster than wall-clock time (3600: an hour a second). */
    record Compressed(double factor) implements Pace {
        public Compressed {
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("time compression must be positive, was " + factor);
            }
        }
    }

    /** Each device sync is sent when the clock reaches its simulated time: a live programme. */
    record Live() implements Pace {}

    static Pace asFastAsPossible() {
        return new AsFastAsPossible();
    }

    static Pace readingsPerSecond(double rate) {
        return new ReadingsPerSecond(rate);
    }

    static Pace compressed(double factor) {
        return new Compressed(factor);
    }

    static Pace live() {
        return new Live();
    }

    /**
     * Parses the command-line form: {@code max} (as fast as possible), {@code live}, {@code 500/s} (readings
     * per second) or {@code x3600} (time compression).
     */
    public static Pace parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("max") || t.equals("fast")) {
                return asFastAsPossible();
            }
            if (t.equals("live")) {
                return live();
            }
            if (t.endsWith("/s")) {
                return readingsPerSecond(Double.parseDouble(t.substring(0, t.length() - 2)));
            }
            if (t.startsWith("x")) {
                return compressed(Double.parseDouble(t.substring(1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("pace '" + text + "' is not one of: max, live, <n>/s, x<factor>");
    }
}
