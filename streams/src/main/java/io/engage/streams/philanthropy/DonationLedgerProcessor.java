package io.engage.streams.philanthropy;

import io.engage.avro.Donation;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.reference.TeamView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The donation ledger's processor: intents re-keyed by programme in, {@code donations} (key: programme id) out. The
 * rules are in {@link DonationLedger}; this class reads the reference stores and schedules the budget check that
 * releases deferred donations when a programme's budget was raised and no new threshold arrives.
 */
public final class DonationLedgerProcessor implements Processor<String, DonationIntent, String, Donation> {
    private static final Logger LOG = LoggerFactory.getLogger(DonationLedgerProcessor.class);

    private final String programsStore;
    private final String teamsStore;
    private final String[] ledgerStores;
    private final Duration budgetCheckInterval;
    private final io.micrometer.core.instrument.MeterRegistry metrics;

    private ProcessorContext<String, Donation> context;
    private KeyValueStore<String, ProgramRules> programs;
    private KeyValueStore<String, TeamView> teams;
    private KeyValueStore<String, ProgramLedger> accounts;
    private DonationLedger ledger;
    private long emitTime;

    /**
     * @param ledgerStores        the ledger's own stores: programme accounts, issuers, deferred donations
     * @param budgetCheckInterval how often (wall-clock) every programme's current budget is applied
     */
    public DonationLedgerProcessor(
            String programsStore, String teamsStore, String[] ledgerStores, Duration budgetCheckInterval) {
        this(
                programsStore,
                teamsStore,
                ledgerStores,
                budgetCheckInterval,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** As above, counting the donations by status in {@code metrics} ({@code engage_donations_total{status}}). */
    public DonationLedgerProcessor(
            String programsStore,
            String teamsStore,
            String[] ledgerStores,
            Duration budgetCheckInterval,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        this.metrics = metrics;
        this.programsStore = programsStore;
        this.teamsStore = teamsStore;
        this.ledgerStores = ledgerStores.clone();
        this.budgetCheckInterval = budgetCheckInterval;
    }

    /** The donations counter's name; Prometheus shows it as {@code engage_donations_total}. */
    public static final String METRIC = "engage.donations";

    @Override
    public void init(ProcessorContext<String, Donation> context) {
        this.context = context;
        programs = context.getStateStore(programsStore);
        teams = context.getStateStore(teamsStore);
        accounts = context.getStateStore(ledgerStores[0]);
        ledger = new DonationLedger(
                new StoredLedgerState(
                        accounts, context.getStateStore(ledgerStores[1]), context.getStateStore(ledgerStores[2])),
                d -> {
                    // a metric, not a ledger (docs/operations.md): an aborted transaction's donations count again
                    metrics.counter(METRIC, "status", d.getStatus().name()).increment();
                    context.forward(new Record<>(d.getProgramId(), d, emitTime));
                });
        context.schedule(budgetCheckInterval, PunctuationType.WALL_CLOCK_TIME, this::applyBudgets);
    }

    @Override
    public void process(Record<String, DonationIntent> record) {
        DonationIntent intent = record.value();
        if (intent == null) {
            LOG.warn("ignoring an empty donation intent for key '{}'", record.key());
            return;
        }
        ProgramRules rules = rules(intent.programId());
        String teamBeneficiary = null;
        if (intent.kind() == DonationIntent.Kind.TEAM) {
            TeamView team = teams.get(intent.teamId());
            teamBeneficiary = team == null ? null : team.beneficiary();
        }
        emitTime = record.timestamp();
        ledger.apply(intent, rules, teamBeneficiary, Instant.ofEpochMilli(record.timestamp()));
    }

    /** Applies each programme's current budget: releases deferred donations a raised budget makes room for. */
    private void applyBudgets(long now) {
        emitTime = now;
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, ProgramLedger> it = accounts.all()) {
            while (it.hasNext()) {
                KeyValue<String, ProgramLedger> kv = it.next();
                ProgramRules rules = rules(kv.key);
                if (kv.value.budget() != rules.donationBudget() || (kv.value.deferred() > 0 && kv.value.canMake())) {
                    ids.add(kv.key);
                }
            }
        }
        for (String id : ids) {
            ledger.applyBudget(id, rules(id), Instant.ofEpochMilli(now));
        }
    }

    private ProgramRules rules(String programId) {
        ProgramRules rules = programs.get(programId);
        return rules != null ? rules : ProgramRules.defaults(programId);
    }
}
