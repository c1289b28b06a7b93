package io.engage.ingest.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The publishers' producers: byte-array records, their own metrics ({@code kafka_producer_*}) bound to the registry. */
final class MeteredProducers {
    private MeteredProducers() {}

    /** Makes a producer from its settings and binds its metrics, tagged with its client id (docs/operations.md). */
    static Function<Map<String, Object>, Producer<byte[], byte[]>> in(MeterRegistry metrics) {
        return props -> {
            KafkaProducer<byte[], byte[]> p =
                    new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            new KafkaClientMetrics(p).bindTo(metrics);
            return p;
        };
    }
}
