package io.engage.streams.social;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Leaderboards (docs/social.md): the top entries by steps, ties by id ascending (the byte order of the ids' UTF-8
 * form, which is the order of the ranking keys), {@code rank} the 1-based position in that order. Each store
 * partition gives its own top entries; the leaderboard is the top of their union.
 */
public final class Leaderboards {
    /** Most entries a leaderboard lists. */
    public static final int MAX_LIMIT = 1000;

    private Leaderboards() {}

    /** An entity (participant or team) and its steps. */
    public record Entry(String id, long steps) {}

    /** An entry at its place. */
    public record Ranked(int rank, String id, long steps) {}

    /** Most steps first, then ids in UTF-8 byte order. */
    public static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::steps)
            .reversed()
            .thenComparing((a, b) -> Arrays.compareUnsigned(
                    a.id().getBytes(StandardCharsets.UTF_8), b.id().getBytes(StandardCharsets.UTF_8)));

    /**
     * The first {@code limit} entries of one partition's ranking keys (in key order, so best first) whose entity
     * {@code shown} accepts.
     */
    public static List<Entry> top(Iterator<String> rankKeys, Predicate<String> shown, int limit) {
        List<Entry> out = new ArrayList<>();
        while (out.size() < limit && rankKeys.hasNext()) {
            String key = rankKeys.next();
            String id = StandingKeys.rankedEntity(key);
            if (shown.test(id)) {
                out.add(new Entry(id, StandingKeys.rankedSteps(key)));
            }
        }
        return out;
    }

    /** The leaderboard of the partitions' top entries: the best {@code limit} of them, ranked. */
    public static List<Ranked> merge(Collection<List<Entry>> partials, int limit) {
        List<Entry> all = new ArrayList<>();
        partials.forEach(all::addAll);
        all.sort(ORDER);
        List<Ranked> out = new ArrayList<>(Math.min(limit, all.size()));
        for (int i = 0; i < all.size() && i < limit; i++) {
            out.add(new Ranked(i + 1, all.get(i).id(), all.get(i).steps()));
        }
        return out;
    }

    /** The best {@code limit} of {@code steps} (id to steps), in leaderboard order: id to steps. */
    public static java.util.Map<String, Long> top(java.util.Map<String, Long> steps, int limit) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        merge(
                        List.of(steps.entrySet().stream()
                                .map(e -> new Entry(e.getKey(), e.getValue()))
                                .toList()),
                        limit)
                .forEach(r -> out.put(r.id(), r.steps()));
        return out;
    }
}
