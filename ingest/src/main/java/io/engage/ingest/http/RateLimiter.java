package io.engage.ingest.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-gateway token buckets counting readings: {@code ratePerSecond} sustained, bursts up to
 * {@code max(2 x rate, 5000)} (so one full batch always fits an idle bucket).
 */
public final class RateLimiter {
    private final double ratePerNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }

    public RateLimiter(int ratePerSecond, LongSupplier nanoClock) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = Math.max(2.0 * ratePerSecond, 5000);
        this.nanoClock = nanoClock;
    }

    /**
     * Takes {@code n} readings from the gateway's bucket. Returns 0 when allowed, otherwise the whole seconds
     * to wait before the batch would fit (for Retry-After); nothing is taken then.
     */
    public long acquire(String gateway, int n) {
        long now = nanoClock.getAsLong();
        Bucket b = buckets.computeIfAbsent(gateway, g -> new Bucket(capacity, now));
        synchronized (b) {
            b.tokens = Math.min(capacity, b.tokens + (now - b.last) * ratePerNano);
            b.last = now;
            if (b.tokens >= n) {
                b.tokens -= n;
                return 0;
            }
            double missing = n - b.tokens;
            return Math.max(1, (long) Math.ceil(missing / ratePerNano / 1e9));
        }
    }
}
