package dev.embedstream.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An existing PostgreSQL table whose rows are a collection's documents: the key column gives the
 * document id, a template over columns gives the text (e.g. {@code {title}\n\n{body}}), and an
 * optional {@code updated_at} column lets watch mode find new and changed rows cheaply.
 *
 * @param schema          schema of the table
 * @param table           the table
 * @param keyColumn       unique, non-null key; its text form is the document id
 * @param template        text template; {@code {column}} is replaced by the column's text (empty when
 *                        NULL); {@code \n}, {@code \t}, {@code \\}, <code>{{</code> and <code>}}</code> are escapes
 * @param updatedAtColumn a timestamp column bumped on every change, or null
 */
public record TableSource(String schema, String table, String keyColumn, String template, String updatedAtColumn) {

    public TableSource {
        SqlIdentifiers.quote(schema);
        SqlIdentifiers.quote(table);
        SqlIdentifiers.quote(keyColumn);
        if (updatedAtColumn != null) {
            SqlIdentifiers.quote(updatedAtColumn);
        }
        Objects.requireNonNull(template, "template");
        if (parse(template).stream().noneMatch(Part::isColumn)) {
            throw new InvalidInputException("text template " + Texts.quoteForMessage(template)
                    + " names no column; use {column} placeholders, e.g. {title}\\n\\n{body}");
        }
    }

    /** The template that joins {@code columns} with a blank line, as {@code --columns title,body} means. */
    public static String templateOf(List<String> columns) {
        if (columns.isEmpty()) {
            throw new InvalidInputException("no text columns given");
        }
        return String.join("\\n\\n", columns.stream().map(c -> "{" + c + "}").toList());
    }

    /** The table, schema-qualified and quoted. */
    @JsonIgnore
    public String qualifiedTable() {
        return SqlIdentifiers.qualified(schema, table);
    }

    /** The columns the template reads, in order of first use. */
    @JsonIgnore
    public List<String> columns() {
        return parse(template).stream().filter(Part::isColumn).map(Part::value).distinct().toList();
    }

    /**
     * SQL for a row's text, over the table aliased {@code alias}: {@code concat(?, "col"::text, ...)},
     * with the template's literal parts as bind parameters ({@link #textParameters()}, in order).
     */
    public String textSql(String alias) {
        List<String> args = new ArrayList<>();
        for (Part p : parse(template)) {
            args.add(p.isColumn() ? alias + "." + SqlIdentifiers.quote(p.value()) + "::text" : "?::text");
        }
        return "concat(" + String.join(", ", args) + ")";
    }

    /** Values for the {@code ?} of {@link #textSql(String)}, in order. */
    @JsonIgnore
    public List<String> textParameters() {
        return parse(template).stream().filter(p -> !p.isColumn()).map(Part::value).toList();
    }

    /** SQL for the document id of a row: the key's text form. */
    public String idSql(String alias) {
        return alias + "." + SqlIdentifiers.quote(keyColumn) + "::text";
    }

    /** A piece of a parsed template: literal text, or a column placeholder. */
    record Part(String value, boolean isColumn) {
    }

    static List<Part> parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                char n = template.charAt(++i);
                literal.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case '\\' -> '\\';
                    default -> throw new InvalidInputException("text template: unknown escape \\" + n
                            + " (known: \\n, \\t, \\\\)");
                });
            } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                literal.append('{');
                i++;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                literal.append('}');
                i++;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new InvalidInputException("text template: unclosed { at position " + i);
                }
                String column = template.substring(i + 1, end).trim();
                SqlIdentifiers.quote(column);
                if (!literal.isEmpty()) {
                    parts.add(new Part(literal.toString(), false));
                    literal.setLength(0);
                }
                parts.add(new Part(column, true));
                i = end;
            } else if (c == '}') {
                throw new InvalidInputException("text template: unmatched } at position " + i + " (write }} for a brace)");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(literal.toString(), false));
        }
        return Collections.unmodifiableList(parts);
    }
}
