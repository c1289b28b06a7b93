package io.engage.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Waits until the reference data just published through the admin API (programmes, teams, participants, device
 * pairings) is visible to every application that needs it, by asking each application's own stores. The one readiness
 * check of the demo, the bench and the tests: a reading sent before its device pairing reaches the normaliser is
 * dead-lettered, so "published" is not "ready" (docs/ingest.md, docs/rules.md).
 */
public final class ReferenceReadiness {
    /** The kinds of reference data. */
    public enum Kind {
        PROGRAM,
        TEAM,
        PARTICIPANT,
        DEVICE
    }

    /** An application's view of the reference data it keeps. */
    public interface View {
        /** Names the application in messages. */
        String name();

        /** The kinds this application keeps. */
        Set<Kind> kinds();

        /**
         * How many of {@code ids}, counting from the first and stopping at the first missing one, its stores hold now;
         * 0 while the stores cannot be queried (the application is not running yet).
         */
        int leadingPresent(Kind kind, List<String> ids);
    }

    /** Thrown when the data is not visible in time: names the application, the kind and the first missing id. */
    public static final class NotReadyException extends RuntimeException {
        NotReadyException(String message) {
            super(message);
        }
    }

    private static final long POLL_MILLIS = 50;
    private static final long REPORT_NANOS = 1_000_000_000L;

    private ReferenceReadiness() {}

    /**
     * Returns once every view holds every id of {@code wanted} of the kinds it keeps; polls every 50 ms, reports
     * progress (if any is still missing) about once a second.
     *
     * @throws NotReadyException when {@code timeout} passes first
     */
    public static void await(
            Map<Kind, List<String>> wanted, List<View> views, Duration timeout, Consumer<String> progress) {
        Map<String, Integer> seen = new LinkedHashMap<>(); // per view and kind: leading ids already found
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + REPORT_NANOS;
        while (true) {
            List<String> missing = new ArrayList<>();
            for (View view : views) {
                for (Kind kind : view.kinds()) {
                    List<String> ids = wanted.getOrDefault(kind, List.of());
                    String key = view.name() + "/" + kind;
                    int from = seen.getOrDefault(key, 0);
                    if (from < ids.size()) {
                        // the stores only grow while nothing is deleted, so found ids need no second look
                        int found = from + view.leadingPresent(kind, ids.subList(from, ids.size()));
                        seen.put(key, found);
                        if (found < ids.size()) {
                            missing.add(String.format(
                                    "%s: %,d of %,d %s (first missing '%s')",
                                    view.name(), found, ids.size(), plural(kind), ids.get(found)));
                        }
                    }
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new NotReadyException(
                        "reference data not visible after " + timeout + ": " + String.join("; ", missing));
            }
            if (System.nanoTime() > nextReport) {
                progress.accept("waiting for reference data: " + String.join("; ", missing));
                nextReport = System.nanoTime() + REPORT_NANOS;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotReadyException("interrupted while waiting for reference data");
            }
        }
    }

    /** How many of {@code ids} {@code store} holds, counting from the first and stopping at the first missing one. */
    public static int leadingPresent(ReadOnlyKeyValueStore<String, ?> store, List<String> ids) {
        int n = 0;
        while (n < ids.size() && store.get(ids.get(n)) != null) {
            n++;
        }
        return n;
    }

    /** An empty set of wanted ids, to fill with {@link Map#put}. */
    public static Map<Kind, List<String>> wanted() {
        return new EnumMap<>(Kind.class);
    }

    private static String plural(Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "s";
    }
}
