package io.engage.ingest.normalize;

import io.engage.avro.NormalizedReading;
import io.engage.avro.RejectedReading;
import java.util.Objects;

/** What became of one record of {@code readings.raw}: exactly one normalised reading or one dead letter. */
public sealed interface Outcome {

    /** The key of the output record: participant id when normalised, device id when rejected. */
    String key();

    /** Valid, paired and consented: goes to {@code readings.normalized}. */
    record Normalized(String key, NormalizedReading reading) implements Outcome {
        public Normalized {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(reading, "reading");
        }
    }

    /** Failed a check: goes to {@code readings.rejected}. */
    record Rejected(String key, RejectedReading deadLetter) implements Outcome {
        public Rejected {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(deadLetter, "deadLetter");
        }
    }
}
