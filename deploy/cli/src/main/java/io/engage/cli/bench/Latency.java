package io.engage.cli.bench;

/**
 * The paced phase's result.
 *
 * @param targetRate    readings per second asked for (half the pipeline's measured throughput)
 * @param actualRate    readings per second sent
 * @param seconds       first send until the last send
 * @param sent          fresh readings sent
 * @param expectedValid of those, readings the simulator's oracle expects to be counted
 * @param matched       readings whose own {@code activity.daily} record was seen (the rest changed no day)
 * @param fromAck       producer acknowledgement to the {@code activity.daily} record being read
 * @param fromSend      producer send call to the {@code activity.daily} record being read
 * @param ack           producer send call to its acknowledgement
 */
public record Latency(
        double targetRate,
        double actualRate,
        double seconds,
        long sent,
        long expectedValid,
        long matched,
        Percentiles fromAck,
        Percentiles fromSend,
        Percentiles ack) {}
