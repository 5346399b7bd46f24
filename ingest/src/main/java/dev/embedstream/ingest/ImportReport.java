package dev.embedstream.ingest;

import java.util.List;

/**
 * What an import did: every line is either published (acknowledged by Kafka) or rejected with its
 * line number and reason. {@code errors} keeps the first {@link JsonlImporter#MAX_REPORTED_ERRORS}.
 */
public record ImportReport(long lines, long published, long rejected, List<LineError> errors) {

    /** A line that was not published, and why. */
    public record LineError(long line, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    public ImportReport {
        errors = List.copyOf(errors);
    }
}
