package io.engage.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A text progress bar for long work: redrawn in place on a terminal, one line per update otherwise (logs, CI).
 * Callers rate-limit their updates.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean inPlace;
    private final String label;
    private boolean open;

    ProgressBar(PrintWriter out, String label) {
        this(out, label, System.console() != null);
    }

    ProgressBar(PrintWriter out, String label, boolean inPlace) {
        this.out = out;
        this.label = label;
        this.inPlace = inPlace;
    }

    /** Shows {@code fraction} (clamped to 0..1) with a detail text. */
    void update(double fraction, String detail) {
        out.print((inPlace ? "\r" : "")
                + render(label, fraction, detail)
                + (inPlace ? "\u001B[K" : System.lineSeparator()));
        out.flush();
        open = inPlace;
    }

    /** Ends the bar's line. */
    void done(String detail) {
        update(1, detail);
        if (open) {
            out.println();
            out.flush();
            open = false;
        }
    }

    static String render(String label, double fraction, String detail) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * WIDTH);
        return String.format(
                Locale.ROOT,
                "  %-17s [%s%s] %3d%%  %s",
                label,
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                Math.round(f * 100),
                detail);
    }
}
