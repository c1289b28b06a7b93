package io.engage.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Generates the readings of a simulation, in the order the gateway receives them: a pure function of the spec
 * and of the instant generation stops at ({@code until}; nothing is received after it). Streams lazily (only
 * what is pending per participant is in memory), so months of data never sit in memory at once.
 *
 * <p>Every reading carries its oracle: its kind and the reason the pipeline must dead-letter it with, if any.
 * The stream for an earlier {@code until} is a prefix of the stream for a later one.
 */
public final class ReadingGenerator {
    private final SimulationSpec spec;
    private final Population population;

    public ReadingGenerator(SimulationSpec spec) {
        this(spec, Population.of(spec));
    }

    public ReadingGenerator(SimulationSpec spec, Population population) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.population = Objects.requireNonNull(population, "population");
        if (!population.spec().equals(spec)) {
            throw new IllegalArgumentException("the population was generated for another spec");
        }
    }

    public SimulationSpec spec() {
        return spec;
    }

    public Population population() {
        return population;
    }

    /** Device syncs received at or before {@code until}, in order of reception (ties: participant, device). */
    public Iterator<DeviceSync> syncs(Instant until) {
        return new Syncs(until);
    }

    public Stream<DeviceSync> syncStream(Instant until) {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(syncs(until), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Readings received at or before {@code until}, in order of reception. */
    public Stream<SimulatedReading> readings(Instant until) {
        return syncStream(until).flatMap(s -> s.readings().stream());
    }

    /** Readings received up to the clock's current instant. */
    public Stream<SimulatedReading> readings(Clock clock) {
        return readings(clock.instant());
    }

    /** Every reading of the simulation, re-sends after its last day included. */
    public Stream<SimulatedReading> readings() {
        return readings(Instant.MAX);
    }

    private final class Syncs implements Iterator<DeviceSync> {
        private final Instant until;
        private final PriorityQueue<Entry> queue =
                new PriorityQueue<>(Comparator.comparing(Entry::head).thenComparingInt(e -> e.timeline.index()));
        private final ArrayDeque<DeviceSync> ready = new ArrayDeque<>();

        private record Entry(Instant head, ParticipantTimeline timeline) {}

        Syncs(Instant until) {
            this.until = Objects.requireNonNull(until, "until");
            ActivityModel model = new ActivityModel(spec.seed());
            InvalidReadings invalids = new InvalidReadings(spec, population);
            for (SimulatedParticipant p : population.members()) {
                if (p.consent()) { // without consent a participant's devices only send INVALID_NO_CONSENT readings
                    ParticipantTimeline t = new ParticipantTimeline(spec, p, model, invalids);
                    Instant head = t.head();
                    if (head != null) {
                        queue.add(new Entry(head, t));
                    }
                }
            }
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty()) {
                Entry e = queue.poll();
                if (e == null) {
                    return false;
                }
                if (e.head().isAfter(until)) {
                    queue.clear(); // everything else is later still
                    return false;
                }
                ready.addAll(e.timeline().emit());
                Instant next = e.timeline().head();
                if (next != null) {
                    queue.add(new Entry(next, e.timeline()));
                }
            }
            return true;
        }

        @Override
        public DeviceSync next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }
    }
}
