package io.engage.cli.crash;

import io.engage.avro.Beneficiary;
import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.Participant;
import io.engage.avro.Preferences;
import io.engage.avro.Program;
import io.engage.avro.RawReading;
import io.engage.avro.Team;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The deterministic input of a crash test (seeded) and its oracle, computed here from the rules of docs/rules.md and
 * docs/philanthropy.md without any topology code. The input is kept simple so the oracle is obviously right: one device per participant, every reading
 * inside one local clock hour (between 07:00 and 21:00, away from daylight-saving changes), a participant's days sent
 * in date order, and re-sends that are exact copies (same identity, same value).
 */
final class CrashWorkload {
    static final int STEP_GOAL = 7000;
    static final int ACTIVE_MINUTES_GOAL = 30;
    static final int STEP_GOAL_POINTS = 10;
    static final int ACTIVE_MINUTES_POINTS = 5;
    /** Streak milestone (consecutive step-goal days) to points, the programme defaults. */
    static final Map<Integer, Integer> MILESTONES = Map.of(3, 5, 7, 15, 14, 30, 30, 60, 60, 120, 90, 180);

    private static final List<String> ZONES = List.of(
            "Asia/Kathmandu",
            "America/St_Johns",
            "Australia/Lord_Howe",
            "Pacific/Chatham",
            "Europe/Berlin",
            "America/Los_Angeles",
            "Asia/Kolkata",
            "UTC",
            "Pacific/Kiritimati",
            "America/Argentina/Buenos_Aires");

    /** Programme rules of the test. */
    record Rules(
            String programId,
            int pointsPerDonation,
            long teamStepsPerDonation,
            int budget,
            int raisedBudget,
            int maxDonationsPerParticipant) {}

    record Person(String participantId, String teamId, ZoneId zone, String deviceId, double goalProbability) {}

    /** One reading as sent to {@code readings.raw}; its identity is (device, metric, start, end). */
    record Reading(
            Person person,
            LocalDate date,
            String metric,
            long canonicalValue,
            String unit,
            double sentValue,
            ZonedDateTime start,
            ZonedDateTime end,
            boolean utcOffset) {
        RawReading toRaw() {
            DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
            ZonedDateTime s = utcOffset ? start.withZoneSameInstant(ZoneOffset.UTC) : start;
            ZonedDateTime e = utcOffset ? end.withZoneSameInstant(ZoneOffset.UTC) : end;
            return RawReading.newBuilder()
                    .setDeviceId(person.deviceId())
                    .setMetric(metric)
                    .setValue(sentValue)
                    .setUnit(unit)
                    .setStart(f.format(s))
                    .setEnd(f.format(e))
                    .build();
        }

        String identity() {
            return person.deviceId() + "|" + metric + "|" + start.toInstant() + "|" + end.toInstant();
        }
    }

    /** A participant's local day in the oracle. */
    record DayKey(String participantId, LocalDate date) implements Comparable<DayKey> {
        @Override
        public int compareTo(DayKey o) {
            int c = participantId.compareTo(o.participantId);
            return c != 0 ? c : date.compareTo(o.date);
        }
    }

    record DayTotals(long steps, long activeMinutes) {
        /** From the {@code totals} of a day query (docs/query.md); active minutes that are not whole give -1. */
        static DayTotals ofQuery(com.fasterxml.jackson.databind.JsonNode totals) {
            double am = totals.path("active_minutes").asDouble();
            return new DayTotals(totals.path("steps").asLong(), Math.round(am) == am ? Math.round(am) : -1);
        }
    }

    private final Rules rules;
    private final List<String> teams;
    private final List<Person> people;
    /** Round r: day r of every participant (each participant's days in date order). */
    private final List<List<Reading>> rounds;
    /** Exact re-sends to publish after round r. */
    private final List<List<Reading>> resends;

    private CrashWorkload(
            Rules rules,
            List<String> teams,
            List<Person> people,
            List<List<Reading>> rounds,
            List<List<Reading>> resends) {
        this.rules = rules;
        this.teams = teams;
        this.people = people;
        this.rounds = rounds;
        this.resends = resends;
    }

    /**
     * {@code participants} participants in {@code teamCount} teams, {@code days} local days each, ending yesterday in
     * each participant's zone (as of {@code now}).
     */
    static CrashWorkload generate(long seed, String programId, int participants, int teamCount, int days, Instant now) {
        Random rnd = new Random(seed);
        List<String> teams = new ArrayList<>();
        for (int t = 0; t < teamCount; t++) {
            teams.add(programId + "-team-" + t);
        }
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < participants; i++) {
            String pid = programId + "-p" + i;
            // some participants rarely reach their goal, so the per-participant cap binds for some and not others
            double goalProbability = i % 4 == 3 ? 0.3 : 0.55 + 0.4 * rnd.nextDouble();
            people.add(new Person(
                    pid,
                    teams.get(i % teamCount),
                    ZoneId.of(ZONES.get(i % ZONES.size())),
                    "dev-" + pid,
                    goalProbability));
        }
        List<List<Reading>> rounds = new ArrayList<>();
        List<List<Reading>> resends = new ArrayList<>();
        for (int r = 0; r < days; r++) {
            List<Reading> round = new ArrayList<>();
            for (Person p : people) {
                LocalDate date = LocalDate.ofInstant(now, p.zone()).minusDays(days - r);
                round.addAll(day(rnd, p, date));
            }
            rounds.add(round);
            // exact re-sends: a few single readings of this and the previous round, and one participant's whole day
            List<Reading> again = new ArrayList<>();
            for (Reading x : round) {
                if (rnd.nextDouble() < 0.08) {
                    again.add(x);
                }
            }
            if (r > 0) {
                for (Reading x : rounds.get(r - 1)) {
                    if (rnd.nextDouble() < 0.04) {
                        again.add(x);
                    }
                }
            }
            Person resync = people.get(rnd.nextInt(people.size()));
            round.stream().filter(x -> x.person().equals(resync)).forEach(again::add);
            resends.add(again);
        }
        int ppd = 25;
        Rules provisional = new Rules(programId, ppd, 1, 1, 1, 4);
        CrashWorkload draft = new CrashWorkload(provisional, teams, people, rounds, resends);
        // team threshold: about three team donations per team
        long maxTeam = draft.teamSteps().values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(1);
        long teamStepsPerDonation = Math.max(1, maxTeam / 3);
        Rules sized = new Rules(programId, ppd, teamStepsPerDonation, 1, 1, 4);
        int crossings = new CrashWorkload(sized, teams, people, rounds, resends)
                .expectedDonationIds()
                .size();
        // the first budget covers about 40% of the crossings, the raised one about 70%: TRIGGERED, DEFERRED, RELEASED
        // and still DEFERRED at the end all occur
        int budget = Math.max(1, crossings * 4 / 10);
        int raised = budget + Math.max(1, (crossings - budget) / 2);
        return new CrashWorkload(
                new Rules(programId, ppd, teamStepsPerDonation, budget, raised, 4), teams, people, rounds, resends);
    }

    /** One participant's day: step readings in 8-12 distinct hours, active minutes in 2-4 of them. */
    private static List<Reading> day(Random rnd, Person p, LocalDate date) {
        List<Reading> out = new ArrayList<>();
        boolean stepGoal = rnd.nextDouble() < p.goalProbability();
        long steps = stepGoal ? 7000 + rnd.nextInt(5001) : 1500 + rnd.nextInt(5400);
        List<Integer> hours = new ArrayList<>();
        for (int h = 7; h <= 20; h++) {
            hours.add(h);
        }
        Collections.shuffle(hours, rnd);
        int k = 8 + rnd.nextInt(5);
        long[] parts = split(rnd, steps, k);
        for (int i = 0; i < k; i++) {
            int hour = hours.get(i);
            int minute = rnd.nextInt(10);
            int length = 20 + rnd.nextInt(10); // ends by :39 at the latest: inside the hour
            ZonedDateTime start = date.atTime(hour, minute).atZone(p.zone());
            String unit = rnd.nextBoolean() ? "steps" : "count";
            out.add(new Reading(
                    p, date, "steps", parts[i], unit, parts[i], start, start.plusMinutes(length), rnd.nextInt(4) == 0));
        }
        boolean activeGoal = rnd.nextDouble() < p.goalProbability();
        long minutes = activeGoal ? 30 + rnd.nextInt(31) : 5 + rnd.nextInt(25);
        int m = (int) Math.max(3, (minutes + 14) / 15);
        long[] am = split(rnd, minutes, m);
        for (int i = 0; i < m; i++) {
            int hour = hours.get(i);
            ZonedDateTime start = date.atTime(hour, 40).atZone(p.zone()); // 40-59: 19 minutes, never more than that
            boolean seconds = rnd.nextInt(3) == 0;
            out.add(new Reading(
                    p,
                    date,
                    "active_minutes",
                    am[i],
                    seconds ? "s" : "min",
                    seconds ? am[i] * 60 : am[i],
                    start,
                    start.plusMinutes(19),
                    rnd.nextInt(4) == 0));
        }
        return out;
    }

    /** {@code total} in {@code k} near-equal non-negative integer parts. */
    private static long[] split(Random rnd, long total, int k) {
        long[] parts = new long[k];
        long base = total / k;
        long rest = total - base * k;
        for (int i = 0; i < k; i++) {
            parts[i] = base + (i < rest ? 1 : 0);
        }
        // move a little between neighbours so the readings differ, keeping every part within the limits
        for (int i = 0; i + 1 < k; i += 2) {
            long shift = Math.min(parts[i], rnd.nextInt((int) Math.max(1, base / 4 + 1)));
            parts[i] -= shift;
            parts[i + 1] += shift;
        }
        return parts;
    }

    Rules rules() {
        return rules;
    }

    List<Person> people() {
        return people;
    }

    List<String> teams() {
        return teams;
    }

    List<List<Reading>> rounds() {
        return rounds;
    }

    List<List<Reading>> resends() {
        return resends;
    }

    int readingCount() {
        return rounds.stream().mapToInt(List::size).sum();
    }

    int resendCount() {
        return resends.stream().mapToInt(List::size).sum();
    }

    // ---- reference data --------------------------------------------------------------------------------------

    Program program(int budget, Instant at) {
        return Program.newBuilder()
                .setProgramId(rules.programId())
                .setName("crash test")
                .setPointsPerDonation(rules.pointsPerDonation())
                .setTeamStepsPerDonation(rules.teamStepsPerDonation())
                .setDonationBudget(budget)
                .setMaxDonationsPerParticipant(rules.maxDonationsPerParticipant())
                .setUpdatedAt(at)
                .build();
    }

    List<Team> teamRecords(Instant at) {
        return teams.stream()
                .map(t -> Team.newBuilder()
                        .setTeamId(t)
                        .setProgramId(rules.programId())
                        .setBeneficiary(Beneficiary.veterans)
                        .setUpdatedAt(at)
                        .build())
                .toList();
    }

    List<Participant> participantRecords(Instant at) {
        Beneficiary[] groups = Beneficiary.values();
        List<Participant> out = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            Person p = people.get(i);
            out.add(Participant.newBuilder()
                    .setParticipantId(p.participantId())
                    .setProgramId(rules.programId())
                    .setTeamId(p.teamId())
                    .setTimezone(p.zone().getId())
                    .setConsent(true)
                    .setBeneficiary(groups[i % groups.length])
                    .setPreferences(Preferences.newBuilder().build())
                    .setUpdatedAt(at)
                    .build());
        }
        return out;
    }

    List<Device> deviceRecords(Instant at) {
        return people.stream()
                .map(p -> Device.newBuilder()
                        .setDeviceId(p.deviceId())
                        .setParticipantId(p.participantId())
                        .setType(DeviceType.tracker)
                        .setPairedAt(at)
                        .build())
                .toList();
    }

    // ---- the oracle ------------------------------------------------------------------------------------------

    /** Day totals: the sum of the distinct readings (by identity) of each participant's local day. */
    Map<DayKey, DayTotals> dayTotals() {
        Map<String, Reading> distinct = new LinkedHashMap<>();
        for (List<Reading> round : rounds) {
            for (Reading r : round) {
                Reading was = distinct.putIfAbsent(r.identity(), r);
                if (was != null) {
                    throw new IllegalStateException("generator produced one identity twice: " + r.identity());
                }
            }
        }
        Map<DayKey, long[]> sums = new TreeMap<>();
        for (Reading r : distinct.values()) {
            long[] s = sums.computeIfAbsent(new DayKey(r.person().participantId(), r.date()), k -> new long[2]);
            s[r.metric().equals("steps") ? 0 : 1] += r.canonicalValue();
        }
        Map<DayKey, DayTotals> out = new TreeMap<>();
        sums.forEach((k, s) -> out.put(k, new DayTotals(s[0], s[1])));
        return out;
    }

    /** Goal event ids: {@code goal:{participantId}:{date}:{metric}} for every day whose total reaches the goal. */
    Set<String> goalEventIds() {
        Set<String> ids = new TreeSet<>();
        dayTotals().forEach((k, t) -> {
            if (t.steps() >= STEP_GOAL) {
                ids.add("goal:" + k.participantId() + ":" + k.date() + ":steps");
            }
            if (t.activeMinutes() >= ACTIVE_MINUTES_GOAL) {
                ids.add("goal:" + k.participantId() + ":" + k.date() + ":active_minutes");
            }
        });
        return ids;
    }

    /**
     * Points per participant: goal days, plus streak milestones. Days arrive in date order, so every run of
     * consecutive step-goal days is one streak and earns each milestone it reaches once.
     */
    Map<String, Long> points() {
        Map<String, Long> out = new TreeMap<>();
        Map<String, List<LocalDate>> goalDays = new TreeMap<>();
        for (Person p : people) {
            out.put(p.participantId(), 0L);
            goalDays.put(p.participantId(), new ArrayList<>());
        }
        dayTotals().forEach((k, t) -> {
            long pts = 0;
            if (t.steps() >= STEP_GOAL) {
                pts += STEP_GOAL_POINTS;
                goalDays.get(k.participantId()).add(k.date());
            }
            if (t.activeMinutes() >= ACTIVE_MINUTES_GOAL) {
                pts += ACTIVE_MINUTES_POINTS;
            }
            out.merge(k.participantId(), pts, Long::sum);
        });
        goalDays.forEach((pid, dates) -> {
            for (int run : runs(dates)) {
                for (Map.Entry<Integer, Integer> m : MILESTONES.entrySet()) {
                    if (run >= m.getKey()) {
                        out.merge(pid, (long) m.getValue(), Long::sum);
                    }
                }
            }
        });
        return out;
    }

    /** Lengths of the runs of consecutive dates in {@code sorted}. */
    static List<Integer> runs(List<LocalDate> sorted) {
        List<Integer> runs = new ArrayList<>();
        int run = 0;
        LocalDate previous = null;
        for (LocalDate d : sorted) {
            if (previous != null && previous.plusDays(1).equals(d)) {
                run++;
            } else {
                if (run > 0) {
                    runs.add(run);
                }
                run = 1;
            }
            previous = d;
        }
        if (run > 0) {
            runs.add(run);
        }
        return runs;
    }

    /** Cumulative steps per team: the sum of its members' day step totals. */
    Map<String, Long> teamSteps() {
        Map<String, String> teamOf = new LinkedHashMap<>();
        people.forEach(p -> teamOf.put(p.participantId(), p.teamId()));
        Map<String, Long> out = new TreeMap<>();
        teams.forEach(t -> out.put(t, 0L));
        dayTotals().forEach((k, t) -> out.merge(teamOf.get(k.participantId()), t.steps(), Long::sum));
        return out;
    }

    /**
     * The donation ids docs/philanthropy.md promises: {@code don:{programId}:{participantId}:{n}} for every
     * {@code pointsPerDonation} points up to the per-participant cap, {@code don:{programId}:team:{teamId}:{n}} for every
     * {@code teamStepsPerDonation} team steps.
     */
    Set<String> expectedDonationIds() {
        Set<String> ids = new TreeSet<>();
        points().forEach((pid, pts) -> {
            long n = Math.min(pts / rules.pointsPerDonation(), rules.maxDonationsPerParticipant());
            for (long i = 1; i <= n; i++) {
                ids.add("don:" + rules.programId() + ":" + pid + ":" + i);
            }
        });
        teamSteps().forEach((team, steps) -> {
            for (long i = 1; i <= steps / rules.teamStepsPerDonation(); i++) {
                ids.add("don:" + rules.programId() + ":team:" + team + ":" + i);
            }
        });
        return ids;
    }

    /** Participants whose points would give more donations than the cap allows. */
    long cappedParticipants() {
        return points().values().stream()
                .filter(p -> p / rules.pointsPerDonation() > rules.maxDonationsPerParticipant())
                .count();
    }
}
