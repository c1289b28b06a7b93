package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The simulator paces, tallies the sink's answers against the oracle and reports progress. */
class SimulatorTest {

    /** A clock the sleeper moves. */
    static final class FakeClock extends Clock {
        Instant now;

        FakeClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Remembers what it got and answers as told. */
    static class RecordingSink implements ReadingSink {
        final List<DeviceSync> got = new ArrayList<>();
        final List<Instant> sentAt = new ArrayList<>();
        final Function<List<RawReading>, SendResult> answer;
        final Clock clock;

        RecordingSink(Clock clock, Function<List<RawReading>, SendResult> answer) {
            this.clock = clock;
            this.answer = answer;
        }

        @Override
        public CompletableFuture<SendResult> send(String deviceId, List<RawReading> batch, Instant receivedAt) {
            got.add(new DeviceSync(receivedAt, deviceId, List.of()));
            sentAt.add(clock.instant());
            return CompletableFuture.completedFuture(answer.apply(batch));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    final FakeClock clock = new FakeClock(Instant.parse("2026-12-01T00:00:00Z"));

    Simulator.Builder simulator(SimulationSpec spec) {
        return Simulator.builder(spec).clock(clock).sleeper(d -> clock.now = clock.now.plus(d));
    }

    @Test
    void sendsWhatTheGeneratorGeneratesAndSummarisesItAgainstTheOracle() {
        SimulationSpec spec = Specs.small().invalidRate(0.1).build();
        List<SimulatedReading> expected = Specs.all(spec);
        RecordingSink sink = new RecordingSink(clock, b -> SendResult.accepted(b.size()));
        List<ReadingOutcome> outcomes = new ArrayList<>();

        SimulationSummary summary =
                simulator(spec).onOutcome(outcomes::add).build().run(sink, null);

        assertThat(outcomes).extracting(ReadingOutcome::reading).isEqualTo(expected);
        assertThat(summary.sent()).isEqualTo(expected.size());
        assertThat(summary.accepted()).isEqualTo(expected.size());
        assertThat(summary.batches()).isEqualTo(sink.got.size());
        assertThat(summary.byKind())
                .isEqualTo(expected.stream()
                        .collect(Collectors.groupingBy(SimulatedReading::kind, Collectors.counting())));
        assertThat(summary.expectedRejected())
                .isEqualTo(expected.stream()
                        .filter(r -> r.expectedReason() != null)
                        .collect(Collectors.groupingBy(SimulatedReading::expectedReason, Collectors.counting())));
        assertThat(summary.expectedNormalized())
                .isEqualTo(expected.stream()
                        .filter(SimulatedReading::expectedValid)
                        .count());
        assertThat(summary.validatingSink()).isFalse();
        assertThat(summary.contradictions()).isZero();
        assertThat(summary.firstReceived()).isEqualTo(expected.get(0).receivedAt());
        assertThat(summary.lastReceived())
                .isEqualTo(expected.get(expected.size() - 1).receivedAt());
        assertThat(summary.render()).contains("sent", "expected", "INVALID_FUTURE");
    }

    @Test
    void generationStopsAtTheClocksNow() {
        SimulationSpec spec = Specs.small().build();
        clock.now = spec.startDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        RecordingSink sink = new RecordingSink(clock, b -> SendResult.accepted(b.size()));

        SimulationSummary summary = simulator(spec).build().run(sink, null);

        assertThat(summary.sent()).isPositive();
        assertThat(sink.got).allSatisfy(s -> assertThat(s.receivedAt()).isBeforeOrEqualTo(clock.now));
    }

    @Test
    void readingsPerSecondPacing() {
        SimulationSpec spec = Specs.small()
                .participants(10)
                .days(1)
                .pace(Pace.readingsPerSecond(100))
                .build();
        Instant start = clock.now;
        RecordingSink sink = new RecordingSink(clock, b -> SendResult.accepted(b.size()));
        List<Progress> progress = new ArrayList<>();

        SimulationSummary summary = simulator(spec).until(Instant.MAX).build().run(sink, progress::add);

        Duration took = Duration.between(start, clock.now);
        double expectedSeconds = summary.sent() / 100.0; // the last batch goes out at (sent - its size) / rate
        assertThat(took.toMillis() / 1000.0).isBetween(expectedSeconds - 2, expectedSeconds + 1);
        assertThat(summary.sent()).isGreaterThan(500);
        assertThat(progress).hasSizeGreaterThan(4);
        assertThat(progress.get(progress.size() - 1).sent()).isEqualTo(summary.sent());
        assertThat(progress.get(progress.size() / 2).readingsPerSecond()).isBetween(80.0, 120.0);
    }

    @Test
    void compressedTimeAndLivePacing() {
        SimulationSpec spec = Specs.small()
                .participants(2)
                .days(1)
                .pace(Pace.compressed(3600))
                .build();
        RecordingSink sink = new RecordingSink(clock, b -> SendResult.accepted(b.size()));
        Instant start = clock.now;

        simulator(spec).until(Instant.MAX).build().run(sink, null);

        Duration simulated = Duration.between(
                sink.got.get(0).receivedAt(), sink.got.get(sink.got.size() - 1).receivedAt());
        Duration wall = Duration.between(start, sink.sentAt.get(sink.sentAt.size() - 1));
        assertThat(wall.toMillis()).isCloseTo(simulated.toMillis() / 3600, org.assertj.core.data.Offset.offset(1_000L));

        SimulationSpec live = spec.toBuilder().pace(Pace.live()).build();
        clock.now = live.startInstant();
        RecordingSink liveSink = new RecordingSink(clock, b -> SendResult.accepted(b.size()));
        simulator(live).build().run(liveSink, null);
        for (int i = 0; i < liveSink.got.size(); i++) {
            assertThat(liveSink.sentAt.get(i))
                    .isAfterOrEqualTo(liveSink.got.get(i).receivedAt())
                    .isBefore(liveSink.got.get(i).receivedAt().plusSeconds(2));
        }
    }

    @Test
    void rejectionsFailuresAndContradictionsAreCounted() {
        SimulationSpec spec = Specs.only(Kind.INVALID_UNKNOWN_UNIT, 0.2);
        // a "gateway" that fails every batch's first reading and rejects everything else as OUT_OF_RANGE
        ReadingSink sink =
                new RecordingSink(
                        clock,
                        b -> new SendResult(
                                b.size(),
                                java.util.stream.IntStream.range(1, b.size())
                                        .mapToObj(i -> new SendResult.Rejection(i, RejectReason.OUT_OF_RANGE))
                                        .toList(),
                                List.of(0),
                                "boom")) {
                    @Override
                    public boolean validates() {
                        return true;
                    }
                };

        SimulationSummary summary = simulator(spec).build().run(sink, null);

        assertThat(summary.failed()).isEqualTo(summary.batches());
        assertThat(summary.accepted()).isZero();
        assertThat(summary.rejected()).containsOnlyKeys(RejectReason.OUT_OF_RANGE);
        assertThat(summary.contradictions()).isEqualTo(summary.sent() - summary.failed());
        assertThat(summary.failures()).hasSize(5).allSatisfy(f -> assertThat(f).contains("boom"));
        assertThat(summary.expectedNormalized()
                        + summary.expectedRejected().values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                .isEqualTo(summary.sent() - summary.failed());
    }

    @Test
    void aSinkThatCannotGoOnStopsTheRun() {
        SimulationSpec spec = Specs.small().build();
        ReadingSink sink = new RecordingSink(clock, b -> SendResult.accepted(b.size())) {
            @Override
            public CompletableFuture<SendResult> send(String deviceId, List<RawReading> batch, Instant receivedAt) {
                return CompletableFuture.failedFuture(new SinkException("gateway answered HTTP 401"));
            }
        };

        assertThatThrownBy(() -> simulator(spec).build().run(sink, null))
                .isInstanceOf(SinkException.class)
                .hasMessageContaining("401");
    }

    @Test
    void paceParsesTheCommandLineForms() {
        assertThat(Pace.parse("max")).isEqualTo(Pace.asFastAsPossible());
        assertThat(Pace.parse("live")).isEqualTo(Pace.live());
        assertThat(Pace.parse("500/s")).isEqualTo(Pace.readingsPerSecond(500));
        assertThat(Pace.parse("x3600")).isEqualTo(Pace.compressed(3600));
        assertThatThrownBy(() -> Pace.parse("fast please")).hasMessageContaining("max, live");
        assertThatThrownBy(() -> Pace.parse("-5/s")).hasMessageContaining("positive");
    }

    @Test
    void specValidationNamesTheField() {
        assertThatThrownBy(() -> Specs.small().duplicateRate(1.5).build()).hasMessageContaining("duplicateRate");
        assertThatThrownBy(() -> Specs.small().participants(0).build()).hasMessageContaining("participants");
        assertThatThrownBy(() -> SimulationSpec.builder().build()).hasMessageContaining("startDate");
        assertThatThrownBy(() -> Specs.small()
                        .invalidKinds(java.util.Set.of(Kind.ORIGINAL))
                        .build())
                .hasMessageContaining("INVALID_");
        assertThat(Map.of("late sync days", Specs.small().build().lateSyncDays()))
                .containsEntry("late sync days", 6);
    }
}
