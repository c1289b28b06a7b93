package io.engage.streams.reference;

import io.engage.avro.Program;
import io.engage.schemas.AvroTrust;
import io.engage.streams.coaching.NudgeSchedule;
import io.engage.streams.goals.StepGoalPolicy;
import io.engage.streams.state.StateCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engagement topology needs of a programme: goals, goal bounds, adaptive switch, the points table
 * (milestone length in days to points) and the donation rules (docs/philanthropy.md). A programme not (yet) on
 * {@code programs} gets the schema's defaults.
 */
public record ProgramRules(
        String programId,
        int stepGoal,
        int activeMinutesGoal,
        int minStepGoal,
        int maxStepGoal,
        boolean adaptiveGoal,
        int stepGoalDayPoints,
        int activeMinutesGoalDayPoints,
        SortedMap<Integer, Integer> milestonePoints,
        int pointsPerDonation,
        long teamStepsPerDonation,
        int donationBudget,
        Integer maxDonationsPerParticipant,
        String donationItem,
        String defaultBeneficiary,
        NudgeSchedule nudges,
        int cheerGivenPoints,
        int maxCheersPerDay) {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramRules.class);

    static {
        AvroTrust.install(); // defaults() builds a Program before any serde may have been created
    }

    public ProgramRules {
        Objects.requireNonNull(programId, "programId");
        milestonePoints = Collections.unmodifiableSortedMap(new TreeMap<>(milestonePoints));
        Objects.requireNonNull(donationItem, "donationItem");
        Objects.requireNonNull(defaultBeneficiary, "defaultBeneficiary");
        nudges = nudges == null ? NudgeSchedule.DEFAULT : nudges;
    }

    /** The schema's default points for a cheer given. */
    public static final int DEFAULT_CHEER_POINTS = 1;
    /** The schema's default number of cheers a day that earn points. */
    public static final int DEFAULT_MAX_CHEERS_PER_DAY = 5;

    /** The rules of a {@code programs} record; milestone keys that are not positive whole numbers are ignored. */
    public static ProgramRules of(Program p) {
        SortedMap<Integer, Integer> milestones = new TreeMap<>();
        for (Map.Entry<String, Integer> e : p.getPoints().getMilestones().entrySet()) {
            try {
                int days = Integer.parseInt(e.getKey().trim());
                if (days > 0 && e.getValue() != null) {
                    milestones.put(days, e.getValue());
                    continue;
                }
            } catch (NumberFormatException ignored) {
                // logged below
            }
            LOG.warn(
                    "programme {}: ignoring streak milestone '{}' (not a positive number of days)",
                    p.getProgramId(),
                    e.getKey());
        }
        return new ProgramRules(
                p.getProgramId(),
                p.getStepGoal(),
                p.getActiveMinutesGoal(),
                p.getMinStepGoal(),
                p.getMaxStepGoal(),
                p.getAdaptiveGoal(),
                p.getPoints().getStepGoalDay(),
                p.getPoints().getActiveMinutesGoalDay(),
                milestones,
                p.getPointsPerDonation(),
                p.getTeamStepsPerDonation(),
                p.getDonationBudget(),
                p.getMaxDonationsPerParticipant(),
                p.getDonationItem(),
                p.getDefaultBeneficiary().name(),
                new NudgeSchedule(
                        p.getPromptTimes(),
                        p.getActiveHours() == null
                                ? NudgeSchedule.DEFAULT.activeStart()
                                : p.getActiveHours().getStart(),
                        p.getActiveHours() == null
                                ? NudgeSchedule.DEFAULT.activeEnd()
                                : p.getActiveHours().getEnd()),
                p.getPoints().getCheerGiven(),
                p.getPoints().getMaxCheersPerDay());
    }

    /** The schema defaults (docs/rules.md) for a programme that has no record. */
    public static ProgramRules defaults(String programId) {
        return of(Program.newBuilder()
                .setProgramId(programId)
                .setUpdatedAt(Instant.EPOCH)
                .build());
    }

    /** Streak milestones in days, ascending. */
    public List<Integer> milestones() {
        return List.copyOf(milestonePoints.keySet());
    }

    /** What {@link StepGoalPolicy} needs. */
    public StepGoalPolicy.ProgramGoals goals() {
        return new StepGoalPolicy.ProgramGoals(stepGoal, minStepGoal, maxStepGoal, adaptiveGoal);
    }

    /**
     * Store serde (layout 4; reads layout 1, which had no donation rules, 2, which had no nudge schedule, and 3, which
     * had no cheer points, with the schema's defaults).
     */
    public static Serde<ProgramRules> serde() {
        // read on every reading, rarely changed: decoded once per distinct value
        return StateCodec.memoized(
                StateCodec.serde(
                        "programme rules",
                        4,
                        ProgramRules::write,
                        in -> read(in, 4),
                        Map.of(1, in -> read(in, 1), 2, in -> read(in, 2), 3, in -> read(in, 3))),
                256);
    }

    private static void write(ProgramRules r, StateCodec.Out out) throws IOException {
        out.string(r.programId)
                .int32(r.stepGoal)
                .int32(r.activeMinutesGoal)
                .int32(r.minStepGoal)
                .int32(r.maxStepGoal)
                .bool(r.adaptiveGoal)
                .int32(r.stepGoalDayPoints)
                .int32(r.activeMinutesGoalDayPoints)
                .int32(r.pointsPerDonation)
                .int32(r.milestonePoints.size());
        for (Map.Entry<Integer, Integer> e : r.milestonePoints.entrySet()) {
            out.int32(e.getKey()).int32(e.getValue());
        }
        out.int64(r.teamStepsPerDonation)
                .int32(r.donationBudget)
                .nullableInt(r.maxDonationsPerParticipant)
                .string(r.donationItem)
                .string(r.defaultBeneficiary)
                .int32(r.nudges.promptTimes().size());
        for (LocalTime t : r.nudges.promptTimes()) {
            out.int32(t.toSecondOfDay());
        }
        out.int32(r.nudges.activeStart().toSecondOfDay())
                .int32(r.nudges.activeEnd().toSecondOfDay())
                .int32(r.cheerGivenPoints)
                .int32(r.maxCheersPerDay);
    }

    private static ProgramRules read(StateCodec.In in, int layout) throws IOException {
        String id = in.string();
        int stepGoal = in.int32();
        int activeGoal = in.int32();
        int min = in.int32();
        int max = in.int32();
        boolean adaptive = in.bool();
        int stepPoints = in.int32();
        int activePoints = in.int32();
        int perDonation = in.int32();
        int n = in.int32();
        SortedMap<Integer, Integer> milestones = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            milestones.put(in.int32(), in.int32());
        }
        // layout 1 had no donation rules: the schema's defaults
        ProgramRules d = layout < 2 ? defaults(id) : null;
        long teamSteps = d != null ? d.teamStepsPerDonation : in.int64();
        int budget = d != null ? d.donationBudget : in.int32();
        Integer maxDonations = d != null ? d.maxDonationsPerParticipant : in.nullableInt();
        String item = d != null ? d.donationItem : in.string();
        String beneficiary = d != null ? d.defaultBeneficiary : in.string();
        NudgeSchedule nudges = NudgeSchedule.DEFAULT;
        if (layout >= 3) {
            int prompts = in.int32();
            List<LocalTime> times = new java.util.ArrayList<>();
            for (int i = 0; i < prompts; i++) {
                times.add(LocalTime.ofSecondOfDay(in.int32()));
            }
            nudges = new NudgeSchedule(times, LocalTime.ofSecondOfDay(in.int32()), LocalTime.ofSecondOfDay(in.int32()));
        }
        int cheerPoints = layout >= 4 ? in.int32() : DEFAULT_CHEER_POINTS;
        int maxCheers = layout >= 4 ? in.int32() : DEFAULT_MAX_CHEERS_PER_DAY;
        return new ProgramRules(
                id,
                stepGoal,
                activeGoal,
                min,
                max,
                adaptive,
                stepPoints,
                activePoints,
                milestones,
                perDonation,
                teamSteps,
                budget,
                maxDonations,
                item,
                beneficiary,
                nudges,
                cheerPoints,
                maxCheers);
    }
}
