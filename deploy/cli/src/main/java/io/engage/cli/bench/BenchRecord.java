package io.engage.cli.bench;

/**
 * One reading exactly as it goes onto {@code readings.raw}: key (device id, UTF-8), value (RawReading in the
 * Confluent wire format), record timestamp (the simulated reception instant), with the simulator's oracle.
 *
 * @param participantId the participant the device is paired with; null for an unpaired device
 * @param expectedValid whether the pipeline must count it (the simulator's oracle)
 */
public record BenchRecord(byte[] key, byte[] value, long timestamp, String participantId, boolean expectedValid) {

    /** Key and value bytes. */
    public int size() {
        return key.length + value.length;
    }
}
