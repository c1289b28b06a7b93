package io.engage.cli;

import io.engage.avro.RawReading;
import io.engage.cli.bench.BenchInput;
import io.engage.cli.bench.BenchRecord;
import io.engage.cli.bench.BenchReport;
import io.engage.cli.bench.Measurements;
import io.engage.cli.bench.Throughput;
import io.engage.config.EngageConfig;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.Topics;
import io.engage.simulator.SimulationSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The bench's population scaling: the engage pipeline (c) once per population size, each with the same number of
 * readings (the first ones in order of reception; the simulator generates lazily, so generation stops there), each
 * on its own namespace of fresh topics and application ids, with its population put through the admin API.
 */
final class BenchScaling {
    private final LocalStack stack;
    private final Measurements m;
    private final Measurements.Context ctx;
    private final Consumer<String> progress;

    BenchScaling(LocalStack stack, Measurements m, Measurements.Context ctx, Consumer<String> progress) {
        this.stack = stack;
        this.m = m;
        this.ctx = ctx;
        this.progress = progress;
    }

    /**
     * The populations to compare: distinct, smallest first.
     *
     * @throws UserException for fewer than two distinct sizes or a size below 1
     */
    static List<Integer> populations(List<Integer> asked) {
        List<Integer> sizes = asked.stream().distinct().sorted().toList();
        if (sizes.size() < 2 || sizes.get(0) < 1) {
            throw new UserException("--scaling needs at least two different population sizes of at least 1, e.g."
                    + " --scaling 500,20000");
        }
        return sizes;
    }

    /** One population's input, generated before any phase runs (so a population too small fails the run early). */
    record Prepared(int participants, BenchInput input) {}

    /**
     * Generates and serialises each population's first {@code readings} readings (the value serialised as for the
     * run's {@code readings.raw}, as (c)'s input is).
     *
     * @param base the simulation settings; participants and teams are replaced per population
     * @throws UserException when a population has fewer readings before the cut-off
     */
    static List<Prepared> prepare(
            SimulationSpec base,
            List<Integer> populations,
            int days,
            Instant now,
            long readings,
            String rawTopic,
            Serializer<RawReading> serializer) {
        List<Prepared> out = new ArrayList<>();
        for (int participants : populations) {
            SimulationSpec simulation = base.toBuilder()
                    .participants(participants)
                    .teams(Math.max(1, participants / 8))
                    .build();
            BenchInput input = BenchInput.generate(simulation, days, now, readings, rawTopic, serializer);
            if (input.throughput().size() < readings) {
                throw new UserException(String.format(
                        "--scaling: %,d participants have only %,d readings in %d days;"
                                + " lower --readings or raise --days",
                        participants, input.throughput().size(), days));
            }
            out.add(new Prepared(participants, input));
        }
        return out;
    }

    /** Runs (c) for each population, smallest first. */
    BenchReport.Scaling run(List<Prepared> populations, long readings, int warmup) {
        List<BenchReport.Scaling.Population> out = new ArrayList<>();
        for (Prepared p : populations) {
            out.add(runOne(p.participants(), p.input(), warmup));
        }
        return new BenchReport.Scaling(readings, out);
    }

    private BenchReport.Scaling.Population runOne(int participants, BenchInput input, int warmup) {
        String name = "bench.scale-" + participants;
        EngageConfig config = stack.namespace(name + ".", "engage-" + name.replace('.', '-'));
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        String raw = topics.name(Topics.READINGS_RAW);
        List<BenchRecord> records = input.throughput();
        int w = Math.min(warmup, records.size() / 2);
        Set<String> withReadings = new HashSet<>();
        records.forEach(r -> {
            if (r.participantId() != null) {
                withReadings.add(r.participantId());
            }
        });
        String lastReceived = Instant.ofEpochMilli(
                        records.get(records.size() - 1).timestamp())
                .toString();
        progress.accept(String.format(
                "%,d participants: %,d readings of %,d participants, received %s to %s",
                participants, records.size(), withReadings.size(), input.spec().startDate(), lastReceived));
        Throughput t;
        int refs;
        double publish;
        double ready;
        try (BenchPipeline pipeline =
                BenchPipeline.start(config, stack.tokens(), input.population(), m, ctx, progress)) {
            refs = pipeline.referenceRecords();
            publish = pipeline.publishSeconds();
            ready = pipeline.readySeconds();
            t = m.pipeline(
                    ctx,
                    raw,
                    pipeline.normalizerId(),
                    topics.name(Topics.READINGS_NORMALIZED),
                    pipeline.engagementId(),
                    records,
                    w,
                    progress);
        }
        progress.accept(String.format("%,d participants: %,.0f readings/s", participants, t.perSecond()));
        long normalized = m.records(ctx, topics.name(Topics.READINGS_NORMALIZED));
        long rejected = m.records(ctx, topics.name(Topics.READINGS_REJECTED));
        return new BenchReport.Scaling.Population(
                participants,
                records.size(),
                withReadings.size(),
                lastReceived,
                refs,
                publish,
                ready,
                t,
                normalized,
                rejected,
                input.expectedValid());
    }
}
