package io.engage.simulator;

import io.engage.avro.RejectReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Drives a simulation: generates device syncs, paces them, hands them to a sink with a bounded number in flight,
 * and tallies the sink's answers against the generator's expectations. The caller owns (and closes) the sink and
 * publishes the {@link Population}'s reference data before running.
 *
 * <pre>{@code
 * try (ReadingSink sink = new KafkaReadingSink(config)) {
 *     SimulationSummary summary = Simulator.run(spec, sink, p -> System.out.println(p.line()));
 * }
 * }</pre>
 */
public final class Simulator {
    private static final int MAX_FAILURE_MESSAGES = 5;

    /** Waits; tests substitute one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final SimulationSpec spec;
    private final Population population;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration progressInterval;
    private final Consumer<ReadingOutcome> outcomes;
    private final Instant until;

    private Simulator(Builder b) {
        this.spec = b.spec;
        this.population = b.population != null ? b.population : Population.of(b.spec);
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.progressInterval = b.progressInterval;
        this.outcomes = b.outcomes;
        this.until = b.until;
    }

    /**
     * Runs {@code spec} into {@code sink} with the system clock, reporting progress about once a second; generation
     * stops at the current instant (with a live pace: at the end of the simulation).
     */
    public static SimulationSummary run(SimulationSpec spec, ReadingSink sink, Consumer<Progress> progress) {
        return builder(spec).build().run(sink, progress);
    }

    public static Builder builder(SimulationSpec spec) {
        return new Builder(spec);
    }

    public Population population() {
        return population;
    }

    /** Runs the simulation into {@code sink}; {@code progress} may be null. */
    public SimulationSummary run(ReadingSink sink, Consumer<Progress> progress) {
        return new Run(sink, progress == null ? p -> {} : progress).execute();
    }

    private record InFlight(DeviceSync sync, CompletableFuture<SendResult> answer) {}

    private final class Run {
        private final ReadingSink sink;
        private final Consumer<Progress> progress;
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
        private final Map<RejectReason, Long> expectedRejected = new EnumMap<>(RejectReason.class);
        private final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
        private final List<String> failures = new ArrayList<>();
        private long sent;
        private long answered;
        private long accepted;
        private long failed;
        private long batches;
        private long contradictions;
        private Instant first;
        private Instant last;
        private Instant wallStart;
        private Instant lastReport;

        Run(ReadingSink sink, Consumer<Progress> progress) {
            this.sink = Objects.requireNonNull(sink, "sink");
            this.progress = progress;
        }

        SimulationSummary execute() {
            wallStart = clock.instant();
            lastReport = wallStart;
            Instant stop = until != null ? until : spec.pace() instanceof Pace.Live ? Instant.MAX : wallStart;
            Iterator<DeviceSync> syncs = new ReadingGenerator(spec, population).syncs(stop);
            int window = Math.max(1, sink.maxInFlight());
            try {
                while (syncs.hasNext()) {
                    DeviceSync sync = syncs.next();
                    if (first == null) {
                        first = sync.receivedAt();
                    }
                    pace(sync);
                    CompletableFuture<SendResult> answer = sink.send(sync.deviceId(), sync.raws(), sync.receivedAt());
                    sent += sync.size();
                    batches++;
                    last = sync.receivedAt();
                    sync.readings().forEach(r -> byKind.merge(r.kind(), 1L, Long::sum));
                    inFlight.add(new InFlight(sync, answer));
                    drainCompleted();
                    while (inFlight.size() >= window) {
                        complete(inFlight.poll());
                    }
                    maybeReport();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stop sending; report what was sent
            }
            sink.flush();
            while (!inFlight.isEmpty()) {
                complete(inFlight.poll());
            }
            progress.accept(snapshot());
            return new SimulationSummary(
                    sent,
                    accepted,
                    rejected,
                    failed,
                    expectedRejected,
                    byKind,
                    batches,
                    sink.validates(),
                    contradictions,
                    first,
                    last,
                    Duration.between(wallStart, clock.instant()),
                    failures);
        }

        private void pace(DeviceSync sync) throws InterruptedException {
            Pace pace = spec.pace();
            Instant target = null;
            if (pace instanceof Pace.ReadingsPerSecond r) {
                target = wallStart.plusNanos((long) (sent / r.rate() * 1e9));
            } else if (pace instanceof Pace.Compressed c) {
                target = wallStart.plusNanos(
                        (long) (Duration.between(first, sync.receivedAt()).toNanos() / c.factor()));
            } else if (pace instanceof Pace.Live) {
                target = sync.receivedAt();
            }
            if (target == null) {
                return;
            }
            while (true) {
                Duration wait = Duration.between(clock.instant(), target);
                if (wait.isNegative() || wait.isZero()) {
                    return;
                }
                drainCompleted();
                maybeReport();
                sleeper.sleep(wait.compareTo(progressInterval) < 0 ? wait : progressInterval);
            }
        }

        private void drainCompleted() {
            while (!inFlight.isEmpty() && inFlight.peek().answer().isDone()) {
                complete(inFlight.poll());
            }
        }

        private void complete(InFlight f) {
            SendResult result;
            try {
                result = f.answer().join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof SinkException se) {
                    throw se;
                }
                throw new SinkException("sink failed for device " + f.sync().deviceId() + ": " + cause, cause);
            }
            List<SimulatedReading> readings = f.sync().readings();
            if (result.size() != readings.size()) {
                throw new SinkException(
                        "sink answered for " + result.size() + " readings of a batch of " + readings.size());
            }
            if (result.failure() != null && failures.size() < MAX_FAILURE_MESSAGES) {
                failures.add(f.sync().deviceId() + ": " + result.failure());
            }
            for (int i = 0; i < readings.size(); i++) {
                SimulatedReading r = readings.get(i);
                SendResult.Status status = result.status(i);
                RejectReason answeredReason = status == SendResult.Status.REJECTED ? result.reason(i) : null;
                answered++;
                switch (status) {
                    case ACCEPTED -> accepted++;
                    case REJECTED -> rejected.merge(answeredReason, 1L, Long::sum);
                    case FAILED -> failed++;
                }
                if (status != SendResult.Status.FAILED && r.expectedReason() != null) {
                    expectedRejected.merge(r.expectedReason(), 1L, Long::sum);
                }
                ReadingOutcome outcome = new ReadingOutcome(r, status, answeredReason);
                if (sink.validates() && outcome.contradictsExpectation()) {
                    contradictions++;
                }
                if (outcomes != null) {
                    outcomes.accept(outcome);
                }
            }
        }

        private void maybeReport() {
            Instant now = clock.instant();
            if (Duration.between(lastReport, now).compareTo(progressInterval) >= 0) {
                lastReport = now;
                progress.accept(snapshot());
            }
        }

        private Progress snapshot() {
            return new Progress(
                    sent,
                    answered,
                    accepted,
                    rejected,
                    failed,
                    batches,
                    last,
                    Duration.between(wallStart, clock.instant()));
        }
    }

    /** Settings of a {@link Simulator}. */
    public static final class Builder {
        private final SimulationSpec spec;
        private Population population;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = d -> Thread.sleep(Math.max(1, d.toMillis()));
        private Duration progressInterval = Duration.ofSeconds(1);
        private Consumer<ReadingOutcome> outcomes;
        private Instant until;

        private Builder(SimulationSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        /** The population, when the caller already built it (to publish its reference data). */
        public Builder population(Population v) {
            if (!v.spec().equals(spec)) {
                throw new IllegalArgumentException("the population was generated for another spec");
            }
            population = v;
            return this;
        }

        /** The clock that decides "now" (where generation stops) and drives pacing. */
        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v);
            return this;
        }

        public Builder sleeper(Sleeper v) {
            sleeper = Objects.requireNonNull(v);
            return this;
        }

        public Builder progressInterval(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("progressInterval must be positive");
            }
            progressInterval = v;
            return this;
        }

        /** Receives every reading's outcome, in the order sent per device (for oracles). */
        public Builder onOutcome(Consumer<ReadingOutcome> v) {
            outcomes = v;
            return this;
        }

        /** Stops generation at this instant instead of the clock's now. */
        public Builder until(Instant v) {
            until = v;
            return this;
        }

        public Simulator build() {
            return new Simulator(this);
        }
    }
}
