package dev.embedstream.app.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A progress line for long work: redrawn in place on a terminal, printed every few seconds
 * otherwise (logs, CI), always with rate and ETA.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;
    private static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final PrintStream out;
    private final String label;
    private final boolean interactive;
    private final Clock clock;
    private final Instant started;
    private Instant lastPrinted = Instant.EPOCH;
    private long baseline;

    public ProgressBar(PrintStream out, String label, boolean interactive, Clock clock) {
        this.out = out;
        this.label = label;
        this.interactive = interactive;
        this.clock = clock;
        this.started = clock.instant();
    }

    public static ProgressBar forConsole(String label) {
        return new ProgressBar(System.err, label, System.console() != null, Clock.systemUTC());
    }

    /** Work already done when this bar started: it counts toward progress, not toward the rate. */
    public ProgressBar startingAt(long done) {
        this.baseline = done;
        return this;
    }

    /** Shows {@code done} of {@code total}. */
    public void update(long done, long total) {
        Instant now = clock.instant();
        if (!interactive && Duration.between(lastPrinted, now).compareTo(PLAIN_EVERY) < 0 && done < total) {
            return;
        }
        lastPrinted = now;
        String line = render(done, total, Duration.between(started, now));
        if (interactive) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the line after the last update. */
    public void finish(long done, long total) {
        lastPrinted = Instant.EPOCH;
        update(done, total);
        if (interactive) {
            out.println();
        }
    }

    String render(long done, long total, Duration elapsed) {
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        double rate = Math.max(0, done - baseline) / seconds;
        String eta = rate <= 0 || done >= total ? "-" : formatDuration((long) ((total - done) / rate));
        return String.format("%s [%s%s] %d/%d %3.0f%% %.0f/s elapsed %s ETA %s", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), done, total, fraction * 100, rate, formatDuration((long) seconds), eta);
    }

    public static String formatDuration(long seconds) {
        return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }
}
