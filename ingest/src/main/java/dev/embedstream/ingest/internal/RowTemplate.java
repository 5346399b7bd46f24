package dev.embedstream.ingest.internal;

import dev.embedstream.contracts.TableSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text template rendered in Java over one row, with exactly the syntax and meaning of a table
 * collection's {@link TableSource} template: {@code {column}} is the column's text, empty when NULL.
 */
public final class RowTemplate {

    private static final String ALIAS = "r";
    private static final String LITERAL_ARG = "?::text";
    private static final Pattern COLUMN_ARG = Pattern.compile(ALIAS + "\\.\"([A-Za-z0-9_]+)\"::text");

    private record Part(String value, boolean isColumn) {
    }

    private final List<Part> parts;
    private final List<String> columns;

    private RowTemplate(List<Part> parts, List<String> columns) {
        this.parts = parts;
        this.columns = columns;
    }

    /** Parses a template; throws {@code InvalidInputException} as a table collection's template would. */
    public static RowTemplate of(String template) {
        // TableSource's parser is the one definition of the template syntax, but it only hands out its
        // parts as SQL (concat of bound literals and quoted columns); reading them back from that SQL
        // keeps backfilled and streamed rows rendering the same text, hence the same text hash.
        TableSource source = new TableSource("debezium", "row", "id", template, null);
        String sql = source.textSql(ALIAS);
        if (!sql.startsWith("concat(") || !sql.endsWith(")")) {
            throw new IllegalStateException("unexpected template SQL form: " + sql);
        }
        Iterator<String> literals = source.textParameters().iterator();
        List<Part> parts = new ArrayList<>();
        for (String arg : sql.substring("concat(".length(), sql.length() - 1).split(", ")) {
            parts.add(part(arg, literals, sql));
        }
        if (literals.hasNext()) {
            throw new IllegalStateException("unexpected template SQL form: " + sql);
        }
        return new RowTemplate(List.copyOf(parts), source.columns());
    }

    private static Part part(String arg, Iterator<String> literals, String sql) {
        if (arg.equals(LITERAL_ARG) && literals.hasNext()) {
            return new Part(literals.next(), false);
        }
        Matcher m = COLUMN_ARG.matcher(arg);
        if (m.matches()) {
            return new Part(m.group(1), true);
        }
        throw new IllegalStateException("unexpected template SQL form: " + sql);
    }

    /** The columns the template reads, in order of first use. */
    public List<String> columns() {
        return columns;
    }

    /** The text, with each column's text from {@code columnText} (null counts as empty, like SQL's concat). */
    public String render(Function<String, String> columnText) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (!p.isColumn()) {
                out.append(p.value());
            } else {
                String text = columnText.apply(p.value());
                if (text != null) {
                    out.append(text);
                }
            }
        }
        return out.toString();
    }
}
