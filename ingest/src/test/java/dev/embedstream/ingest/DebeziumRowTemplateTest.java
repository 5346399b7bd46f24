package dev.embedstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.ingest.internal.RowTemplate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Debezium source renders templates in Java; it must mean what a table collection's SQL means. */
class DebeziumRowTemplateTest {

    @Test
    void shouldRenderLiteralsEscapesAndColumnsInOrder() {
        // Given a template with every escape, a repeated column and literals on both sides
        RowTemplate t = RowTemplate.of("{{{title}}}:\\t{body}\\\\{title}\\n");
        Map<String, String> row = Map.of("title", "T", "body", "B");
        // When rendered
        String text = t.render(row::get);
        // Then escapes are resolved and columns filled in place
        assertThat(text).isEqualTo("{T}:\tB\\T\n");
        assertThat(t.columns()).containsExactly("title", "body");
    }

    @Test
    void shouldRenderANullColumnAsEmpty() {
        RowTemplate t = RowTemplate.of("{a}\\n\\n{b}");
        Map<String, String> row = new HashMap<>();
        row.put("a", "x");
        row.put("b", null);
        assertThat(t.render(row::get)).isEqualTo("x\n\n");
    }

    @Test
    void shouldKeepLiteralsThatLookLikeTheSqlItIsReadFrom() {
        RowTemplate t = RowTemplate.of("?::text, concat({a}), r.\"x\"::text");
        assertThat(t.render(c -> "A")).isEqualTo("?::text, concat(A), r.\"x\"::text");
    }
}
