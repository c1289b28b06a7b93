package io.engage.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(100, nanos::get);

    @Test
    void anIdleBucketTakesAFullBatchThenRefillsAtTheRate() {
        assertThat(limiter.acquire("g", 5000)).isZero();
        assertThat(limiter.acquire("g", 100)).isEqualTo(1);
        nanos.addAndGet(1_000_000_000L);
        assertThat(limiter.acquire("g", 100)).isZero();
        assertThat(limiter.acquire("g", 250)).isEqualTo(3);
    }

    @Test
    void aRefusedRequestTakesNothingAndGatewaysHaveTheirOwnBuckets() {
        assertThat(limiter.acquire("a", 5000)).isZero();
        assertThat(limiter.acquire("a", 1)).isPositive();
        nanos.addAndGet(10_000_000L); // 1 reading refilled
        assertThat(limiter.acquire("a", 1)).isZero();
        assertThat(limiter.acquire("b", 5000)).isZero();
    }
}
