package io.engage.streams.query;

import io.engage.streams.EngagementStores;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.StepHistory;
import io.engage.streams.coaching.NudgeRecord;
import io.engage.streams.goals.DayGoals;
import io.engage.streams.philanthropy.DonationLedger;
import io.engage.streams.philanthropy.DonationThresholds;
import io.engage.streams.philanthropy.IssuerLedger;
import io.engage.streams.philanthropy.ProgramLedger;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.state.StoreKeys;
import io.engage.streams.streaks.StreakBook;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read-only answers for the participant and donation parts of the query API, computed from the engagement stores of
 * this instance. A participant without a profile (unknown or erased) has no answer (the API's 404); a day without data
 * answers zeros.
 */
public final class ParticipantQueries {
    private final ReadOnlyKeyValueStore<String, ProfileView> profiles;
    private final ReadOnlyKeyValueStore<String, ProgramRules> programs;
    private final ReadOnlyKeyValueStore<String, DayState> days;
    private final ReadOnlyKeyValueStore<String, StreakBook> streaks;
    private final ReadOnlyKeyValueStore<String, PointsBalance> points;
    private final ReadOnlyKeyValueStore<String, ProgramLedger> accounts;
    private final ReadOnlyKeyValueStore<String, IssuerLedger> issuers;
    private final ReadOnlyKeyValueStore<String, NudgeRecord> nudges;
    private final Clock clock;

    public ParticipantQueries(
            ReadOnlyKeyValueStore<String, ProfileView> profiles,
            ReadOnlyKeyValueStore<String, ProgramRules> programs,
            ReadOnlyKeyValueStore<String, DayState> days,
            ReadOnlyKeyValueStore<String, StreakBook> streaks,
            ReadOnlyKeyValueStore<String, PointsBalance> points,
            ReadOnlyKeyValueStore<String, ProgramLedger> accounts,
            ReadOnlyKeyValueStore<String, IssuerLedger> issuers,
            ReadOnlyKeyValueStore<String, NudgeRecord> nudges,
            Clock clock) {
        this.profiles = profiles;
        this.programs = programs;
        this.days = days;
        this.streaks = streaks;
        this.points = points;
        this.accounts = accounts;
        this.issuers = issuers;
        this.nudges = nudges;
        this.clock = clock;
    }

    /** Over the local stores of a running application ({@code clock} says what "today" is). */
    public static ParticipantQueries of(KafkaStreams streams, Clock clock) {
        return new ParticipantQueries(
                store(streams, EngagementStores.PROFILES),
                store(streams, EngagementStores.PROGRAMS),
                store(streams, EngagementStores.DAYS),
                store(streams, EngagementStores.STREAKS),
                store(streams, EngagementStores.POINTS),
                store(streams, EngagementStores.DONATION_ACCOUNTS),
                store(streams, EngagementStores.DONATION_ISSUERS),
                store(streams, EngagementStores.NUDGES),
                clock);
    }

    private static <V> ReadOnlyKeyValueStore<String, V> store(KafkaStreams streams, String name) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    /** How many donations a participant has had from a programme (the programme's ledger may be on another instance). */
    @FunctionalInterface
    public interface DonationCounts {
        long of(String programId, String participantId);
    }

    /** The participant's progress today, or empty for an unknown or erased participant. */
    public Optional<ParticipantSummary> summary(String participantId) {
        return summary(participantId, this::donationsOf);
    }

    /** The donations a participant has had from a programme, from this instance's ledger. */
    public long donationsOf(String programId, String participantId) {
        IssuerLedger issued = issuers.get(DonationLedger.issuerKey(programId, participantId));
        return issued == null ? 0 : issued.donations();
    }

    /** As {@link #summary(String)}, with the participant's donation count from {@code donationCounts}. */
    public Optional<ParticipantSummary> summary(String participantId, DonationCounts donationCounts) {
        ProfileView profile = profiles.get(participantId);
        if (profile == null) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.now(clock.withZone(zone(profile)));
        StreakBook book = streaks.get(participantId);
        if (book == null) {
            book = new StreakBook(List.of(), List.of());
        }
        PointsBalance balance = points.get(participantId);
        long total = balance == null ? 0 : balance.total();
        long donations = donationCounts.of(profile.programId(), participantId);
        ProgramRules program = rules(profile.programId());
        long toNext = DonationThresholds.toNext(total, program.pointsPerDonation());
        boolean capped =
                program.maxDonationsPerParticipant() != null && donations >= program.maxDonationsPerParticipant();
        return Optional.of(new ParticipantSummary(
                participantId,
                profile.programId(),
                profile.teamId(),
                today,
                goals(profile, today).steps(),
                book.current(today, profile.pausedDates()),
                book.longest(profile.pausedDates()),
                total,
                donations,
                toNext < 0 || capped ? null : toNext));
    }

    /**
     * The programme's donations, or empty for a programme that is neither on {@code programs} nor has donations. A
     * programme without donations so far answers zeros and its budget.
     */
    public Optional<ProgramDonations> donations(String programId) {
        ProgramLedger account = accounts.get(programId);
        if (account == null) {
            ProgramRules rules = programs.get(programId);
            if (rules == null) {
                return Optional.empty();
            }
            account = ProgramLedger.empty(rules.donationBudget());
        }
        return Optional.of(new ProgramDonations(
                programId,
                account.budget(),
                account.made(),
                account.deferred(),
                account.remaining(),
                account.byBeneficiary()));
    }

    /** The ids of the programmes on {@code programs}, sorted (a global store: every instance holds them all). */
    public List<String> programIds() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, ProgramRules> it = programs.all()) {
            it.forEachRemaining(kv -> ids.add(kv.key));
        }
        Collections.sort(ids);
        return ids;
    }

    /** Whether the programme is on {@code programs}. */
    public boolean programExists(String programId) {
        return programs.get(programId) != null;
    }

    private ProgramRules rules(String programId) {
        ProgramRules program = programs.get(programId);
        return program != null ? program : ProgramRules.defaults(programId);
    }

    /** The participant's local day {@code date} (zeros without data), or empty for an unknown or erased participant. */
    public Optional<DayView> day(String participantId, LocalDate date) {
        ProfileView profile = profiles.get(participantId);
        if (profile == null) {
            return Optional.empty();
        }
        DayState day = days.get(StoreKeys.day(participantId, date));
        if (day == null) {
            DayGoals g = goals(profile, date);
            return Optional.of(new DayView(
                    participantId,
                    date,
                    DayView.Totals.ZERO,
                    null,
                    new DayView.Goals(g.steps(), g.activeMinutes()),
                    new DayView.Achieved(false, false)));
        }
        DayView.HeartRate hr = day.heartRate() == null
                ? null
                : new DayView.HeartRate(
                        day.heartRate().min(),
                        day.heartRate().max(),
                        day.heartRate().mean());
        return Optional.of(new DayView(
                participantId,
                date,
                new DayView.Totals(day.steps(), day.distance(), day.activeMinutes(), day.calories()),
                hr,
                new DayView.Goals(day.goals().steps(), day.goals().activeMinutes()),
                new DayView.Achieved(day.stepsAchieved(), day.activeMinutesAchieved())));
    }

    /** The day's frozen goals, or for a day without data the goals it would get now. */
    private DayGoals goals(ProfileView profile, LocalDate date) {
        DayState day = days.get(StoreKeys.day(profile.participantId(), date));
        if (day != null) {
            return day.goals();
        }
        ProgramRules program = rules(profile.programId());
        return DayGoals.freeze(date, profile, program, StepHistory.before(days, profile.participantId(), date));
    }

    /**
     * The participant's coaching inbox of a local date (null: the participant's today): the nudges sent and those held
     * back with their reasons, each in due order; empty for an unknown or erased participant.
     */
    public Optional<NudgeInbox> nudges(String participantId, LocalDate date) {
        ProfileView profile = profiles.get(participantId);
        if (profile == null) {
            return Optional.empty();
        }
        LocalDate day = date != null ? date : LocalDate.now(clock.withZone(zone(profile)));
        List<NudgeRecord> sent = new java.util.ArrayList<>();
        List<NudgeRecord> held = new java.util.ArrayList<>();
        String prefix = StoreKeys.join(participantId, day.toString()) + StoreKeys.SEP;
        // keys run participant, date, due instant: a range of one date, in due order
        try (KeyValueIterator<String, NudgeRecord> it = nudges.range(prefix, prefix + '\uffff')) {
            it.forEachRemaining(kv -> (kv.value.sent() ? sent : held).add(kv.value));
        }
        return Optional.of(new NudgeInbox(participantId, day, sent, held));
    }

    /** The profile's zone; without one, the zone of the participant's latest day; else UTC. */
    private ZoneId zone(ProfileView profile) {
        if (profile.zoneId() != null) {
            return ZoneId.of(profile.zoneId());
        }
        String prefix = StoreKeys.participantPrefix(profile.participantId());
        try (KeyValueIterator<String, DayState> it = days.reverseRange(prefix, prefix + '\uffff')) {
            if (it.hasNext()) {
                return ZoneId.of(it.next().value.zoneId());
            }
        }
        return ZoneOffset.UTC;
    }
}
