package io.engage.cli.bench;

import java.time.Duration;
import java.util.function.Consumer;

/** Tells when everything sent so far is visible downstream (to a {@code read_committed} reader). */
interface Visibility {
    /**
     * Blocks until the effects of the first {@code sent} input records (all acknowledged) are visible.
     *
     * @param progress receives a progress line about once a second
     * @return {@link System#nanoTime()} when that was observed
     * @throws BenchException when it takes longer than {@code timeout}
     */
    long awaitVisible(long sent, Duration timeout, Consumer<String> progress);

    /** Progress of the systems under test, for progress lines. */
    default String describe() {
        return "";
    }
}
