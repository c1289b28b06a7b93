package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class KnownBrokerNoiseFilterTest {
    private final KnownBrokerNoiseFilter filter = new KnownBrokerNoiseFilter();
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String logger, Throwable t) {
        return new LoggingEvent(
                "x", context.getLogger(logger), Level.ERROR, "Error processing append operation", t, null);
    }

    @Test
    void dropsOnlyTheRetriedTransactionsV2FirstBatchRefusal() {
        assertThat(filter.decide(event(
                        KnownBrokerNoiseFilter.LOGGER,
                        new OutOfOrderSequenceException(
                                "Invalid sequence number for producer 1 at offset 808 in partition readings.normalized-5: 5 (incoming seq."
                                        + " number). " + KnownBrokerNoiseFilter.MESSAGE + "."))))
                .isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event(
                        KnownBrokerNoiseFilter.LOGGER,
                        new OutOfOrderSequenceException("Out of order sequence number for producer 6 at offset 67"))))
                .as("another out-of-order sequence still shows")
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(
                        "kafka.server.KafkaApis", new OutOfOrderSequenceException(KnownBrokerNoiseFilter.MESSAGE))))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(KnownBrokerNoiseFilter.LOGGER, null))).isEqualTo(FilterReply.NEUTRAL);
    }
}
