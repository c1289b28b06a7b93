package io.engage.streams.philanthropy;

import io.engage.streams.EngagementStores;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code engage_donation_budget} and {@code engage_donation_budget_remaining} by {@code program} (docs/operations.md):
 * each programme's budget and what is left of it, from the donation accounts this instance holds (a programme's
 * account lives on one partition, so across instances each programme is reported once, by its owner). Refreshed from
 * the store every {@link #REFRESH_SECONDS} seconds on a thread of its own; a store that is not queryable (rebalance,
 * start-up) leaves the last values.
 */
public final class DonationBudgetGauges implements AutoCloseable {
    public static final String BUDGET = "engage.donation.budget";
    public static final String REMAINING = "engage.donation.budget.remaining";
    static final long REFRESH_SECONDS = 10;

    private final Supplier<ReadOnlyKeyValueStore<String, ProgramLedger>> accounts;
    private final MultiGauge budget;
    private final MultiGauge remaining;
    private ScheduledExecutorService refresher;

    /** {@code accounts}: the local {@link EngagementStores#DONATION_ACCOUNTS} store (it may throw while not ready). */
    public DonationBudgetGauges(
            MeterRegistry metrics, Supplier<ReadOnlyKeyValueStore<String, ProgramLedger>> accounts) {
        this.accounts = accounts;
        this.budget = MultiGauge.builder(BUDGET)
                .description("the programme's donation budget (donations)")
                .register(metrics);
        this.remaining = MultiGauge.builder(REMAINING)
                .description("donations the programme's budget still allows")
                .register(metrics);
    }

    /** Refreshes now and then every {@link #REFRESH_SECONDS} seconds until closed. */
    public DonationBudgetGauges start() {
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "donation-budget-gauges");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** Reads every account of the local store into the gauges; false when the store was not queryable. */
    public boolean refresh() {
        List<MultiGauge.Row<?>> budgets = new ArrayList<>();
        List<MultiGauge.Row<?>> left = new ArrayList<>();
        try (KeyValueIterator<String, ProgramLedger> it = accounts.get().all()) {
            while (it.hasNext()) {
                KeyValue<String, ProgramLedger> account = it.next();
                Tags program = Tags.of("program", account.key);
                budgets.add(MultiGauge.Row.of(program, account.value.budget()));
                left.add(MultiGauge.Row.of(program, account.value.remaining()));
            }
        } catch (InvalidStateStoreException notNow) {
            return false;
        }
        budget.register(budgets, true);
        remaining.register(left, true);
        return true;
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
