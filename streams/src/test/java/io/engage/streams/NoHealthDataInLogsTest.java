package io.engage.streams;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.engage.avro.DeviceType;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import io.engage.streams.testing.EngagementDriver;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * docs/ingest.md, "Hostile input": a reading the engagement processor cannot count is logged with where it was and
 * which device and metric it had, never with its values (health data).
 */
class NoHealthDataInLogsTest {
    @Test
    void anUncountableReadingIsLoggedWithoutItsValue() {
        Logger logger = (Logger) LoggerFactory.getLogger(EngagementProcessor.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try (EngagementDriver d = new EngagementDriver()) {
            d.profile("p-1", "Europe/Berlin");
            Instant start = Instant.parse("2026-11-20T10:00:00Z");
            d.send(NormalizedReading.newBuilder()
                    .setParticipantId("p-1")
                    .setDeviceId("trk-1")
                    .setDeviceType(DeviceType.tracker)
                    .setMetric(Metric.steps)
                    .setValue(73_519.25)
                    .setStart(start)
                    .setEnd(start.minusSeconds(60)) // ends before it starts: cannot be counted
                    .setOffsetSeconds(3600)
                    .setZoneId("Europe/Berlin")
                    .setReceivedAt(EngagementDriver.NOW)
                    .build());
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m ->
                        assertThat(m).contains("invalid normalised reading").contains("trk-1"))
                .allSatisfy(m -> assertThat(m).doesNotContain("73519").doesNotContain("73,519"));
    }
}
