package io.engage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The side-by-side comparison {@code ./engage replay what-if} prints (docs/replay.md): a text table, or JSON. */
final class WhatIfReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String programId;
    private final LocalDate from;
    private final LocalDate to;
    private final String rules;
    private final WhatIfTally.Figures actual;
    private final WhatIfTally.Figures whatIf;

    WhatIfReport(
            String programId,
            LocalDate from,
            LocalDate to,
            String rules,
            WhatIfTally.Figures actual,
            WhatIfTally.Figures whatIf) {
        this.programId = programId;
        this.from = from;
        this.to = to;
        this.rules = rules;
        this.actual = actual;
        this.whatIf = whatIf;
    }

    /** The rows of the table: label, actual, what-if. */
    List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(row("step-goal days", actual.stepGoalDays(), whatIf.stepGoalDays()));
        rows.add(row("active-minutes-goal days", actual.activeMinutesGoalDays(), whatIf.activeMinutesGoalDays()));
        rows.add(row("points", actual.points(), whatIf.points()));
        rows.add(row("donations made", actual.donationsMade(), whatIf.donationsMade()));
        TreeSet<String> beneficiaries = new TreeSet<>(actual.madeByBeneficiary().keySet());
        beneficiaries.addAll(whatIf.madeByBeneficiary().keySet());
        for (String b : beneficiaries) {
            rows.add(row(
                    "  for " + b,
                    actual.madeByBeneficiary().getOrDefault(b, 0L),
                    whatIf.madeByBeneficiary().getOrDefault(b, 0L)));
        }
        rows.add(row("donations deferred", actual.donationsDeferred(), whatIf.donationsDeferred()));
        rows.add(row(
                "participants with a donation", actual.participantsWithDonation(), whatIf.participantsWithDonation()));
        rows.add(row("donation budget", actual.budget(), whatIf.budget()));
        return rows;
    }

    private static Object[] row(String label, long a, long w) {
        return new Object[] {label, a, w};
    }

    /** The text table: one row per figure, actual and what-if side by side with the difference. */
    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "what-if for programme %s, local days %s to %s, rules from %s%n%n",
                programId,
                from,
                to,
                rules));
        out.append(String.format(Locale.ROOT, "%-30s %14s %14s %14s%n", "", "actual", "what-if", "difference"));
        for (Object[] r : rows()) {
            long a = (Long) r[1];
            long w = (Long) r[2];
            out.append(String.format(
                    Locale.ROOT,
                    "%-30s %,14d %,14d %14s%n",
                    r[0],
                    a,
                    w,
                    w == a ? "0" : String.format(Locale.ROOT, "%+,d", w - a)));
        }
        out.append(String.format(Locale.ROOT, "%-30s %13.1f%% %13.1f%%%n", "budget used", used(actual), used(whatIf)));
        return out.toString();
    }

    private static double used(WhatIfTally.Figures f) {
        return f.budget() == 0 ? 0 : 100.0 * f.donationsMade() / f.budget();
    }

    /** The same comparison as a JSON object: {@code programId, from, to, rules, actual: {...}, whatIf: {...}}. */
    String json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("programId", programId);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("rules", rules);
        out.put("actual", figures(actual));
        out.put("whatIf", figures(whatIf));
        try {
            return JSON.writeValueAsString(out) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> figures(WhatIfTally.Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepGoalDays", f.stepGoalDays());
        m.put("activeMinutesGoalDays", f.activeMinutesGoalDays());
        m.put("points", f.points());
        m.put("donationsMade", f.donationsMade());
        m.put("donationsByBeneficiary", f.madeByBeneficiary());
        m.put("donationsDeferred", f.donationsDeferred());
        m.put("participantsWithDonation", f.participantsWithDonation());
        m.put("budget", f.budget());
        m.put("budgetUsed", f.donationsMade());
        return m;
    }
}
