package io.engage.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops one known, harmless error of the embedded broker: with transactions v2 (KIP-890) the broker refuses a
 * transactional producer's batch on a partition where it has no state yet unless its sequence is 0, and logs the
 * refusal at ERROR although the producer retries it (a retriable error, KAFKA-18202). Kafka Streams producers with
 * several batches in flight hit it at the start of many transactions; nothing is lost (the demo's and the crash tests'
 * checks compare every output with the input). Every other broker error still shows.
 */
public final class KnownBrokerNoiseFilter extends Filter<ILoggingEvent> {
    static final String LOGGER = "kafka.server.ReplicaManager";
    static final String EXCEPTION = "org.apache.kafka.common.errors.OutOfOrderSequenceException";
    static final String MESSAGE = "Expected sequence 0 for transactions v2 idempotent producer with no existing state";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        IThrowableProxy t = event.getThrowableProxy();
        if (LOGGER.equals(event.getLoggerName())
                && t != null
                && EXCEPTION.equals(t.getClassName())
                && t.getMessage() != null
                && t.getMessage().contains(MESSAGE)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
