package dev.embedstream.maintenance;

import java.time.Duration;
import java.time.Instant;

/** One maintenance action as the history table records it. */
public record HistoryEntry(long id, String collection, int generation, String index, String action, String reason,
                           String outcome, String detail, Long rowsBefore, Long rowsAfter, Instant startedAt,
                           Instant finishedAt, Long durationMillis, String instance) {

    /** "12 s ago", "5 min ago", "3 h ago". */
    public static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        return d.toMinutes() < 1 ? d.toSeconds() + " s ago" : d.toHours() < 1 ? d.toMinutes() + " min ago"
                : d.toHours() + " h ago";
    }
}
