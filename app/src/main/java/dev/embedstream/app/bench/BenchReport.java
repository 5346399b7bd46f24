package dev.embedstream.app.bench;

import dev.embedstream.contracts.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects benchmark figures, prints them as one table and writes them as JSON. */
public final class BenchReport {

    /**
     * One figure. {@code ratio} is the figure that a goal judges (measured side by side in the same
     * run); {@code absolute} is context only. A null goal means the row is a reference.
     */
    public record Row(String scenario, String measure, double absolute, String unit, Double ratio, String goal,
                      String verdict, String note) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> context = new LinkedHashMap<>();

    public void context(String key, Object value) {
        context.put(key, value);
    }

    public void reference(String scenario, String measure, double absolute, String unit, String note) {
        rows.add(new Row(scenario, measure, absolute, unit, null, null, "", note));
    }

    /** A ratio judged against a minimum ({@code atLeast}) or a maximum. */
    public void ratio(String scenario, String measure, double absolute, String unit, double ratio, double goal,
                      boolean atLeast, String note) {
        boolean pass = atLeast ? ratio >= goal : ratio <= goal;
        rows.add(new Row(scenario, measure, absolute, unit, ratio, (atLeast ? ">= " : "<= ") + goal,
                pass ? "PASS" : "BELOW", note));
    }

    /** A scenario that could not be measured: printed as FAILED with the reason, never as a figure. */
    public void failed(String scenario, String reason) {
        rows.add(new Row(scenario, "not measured", Double.NaN, "", null, null, "FAILED", reason));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public void print(PrintStream out) {
        String format = "%-28s %-38s %12s %-8s %7s %8s %-6s%n";
        out.printf(format, "scenario", "measure", "absolute", "unit", "ratio", "goal", "");
        out.println("-".repeat(114));
        for (Row r : rows) {
            out.printf(format, r.scenario(), r.measure(), Double.isNaN(r.absolute()) ? "" : String.format("%.1f", r.absolute()), r.unit(),
                    r.ratio() == null ? "" : String.format(Math.abs(r.ratio()) < 0.1 ? "%.3f" : "%.2f", r.ratio()), r.goal() == null ? "" : r.goal(),
                    r.verdict());
            if (r.note() != null && !r.note().isEmpty()) {
                out.printf("%-28s   %s%n", "", r.note());
            }
        }
    }

    public Path writeJson(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("date", Instant.now().toString());
        doc.put("context", context);
        doc.put("rows", rows);
        Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        return file;
    }
}
