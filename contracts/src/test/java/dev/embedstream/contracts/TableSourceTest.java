package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableSourceTest {

    @Test
    void shouldTurnATemplateIntoBoundLiteralsAndQuotedColumns() {
        // Given a template with escapes between two columns
        TableSource s = new TableSource("public", "articles", "id", "{title}\\n\\n{body} {{draft}}", "updated_at");
        // Then the columns are quoted, the literals are parameters, and nothing of the template is in the SQL
        assertThat(s.textSql("t")).isEqualTo("concat(t.\"title\"::text, ?::text, t.\"body\"::text, ?::text)");
        assertThat(s.textParameters()).containsExactly("\n\n", " {draft}");
        assertThat(s.columns()).containsExactly("title", "body");
        assertThat(s.idSql("t")).isEqualTo("t.\"id\"::text");
        assertThat(s.qualifiedTable()).isEqualTo("\"public\".\"articles\"");
    }

    @Test
    void shouldJoinColumnsWithABlankLine() {
        assertThat(TableSource.templateOf(List.of("title", "body"))).isEqualTo("{title}\\n\\n{body}");
    }

    @Test
    void shouldRefuseUnsafeIdentifiersAndBrokenTemplates() {
        assertThatThrownBy(() -> new TableSource("public", "a; DROP TABLE x", "id", "{t}", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unsafe SQL identifier");
        assertThatThrownBy(() -> new TableSource("public", "a", "id", "{ti\"tle}", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unsafe SQL identifier");
        assertThatThrownBy(() -> new TableSource("public", "a", "id", "no columns", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("names no column");
        assertThatThrownBy(() -> new TableSource("public", "a", "id", "{title", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unclosed {");
        assertThatThrownBy(() -> new TableSource("public", "a", "id", "{title}}", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unmatched }");
        assertThatThrownBy(() -> new TableSource("public", "a", "id", "{title}\\x", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown escape");
    }

    @Test
    void shouldSurviveAJsonRoundTrip() {
        TableSource s = new TableSource("s", "t", "k", "{a}", null);
        assertThat(Json.read(Json.write(s), TableSource.class)).isEqualTo(s);
    }

    @Test
    void shouldHashTextTheWaySqlDoes() {
        // sha256 of the UTF-8 bytes, hex: comparable with encode(sha256(convert_to(t, 'UTF8')), 'hex')
        assertThat(ContentHash.ofText("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
