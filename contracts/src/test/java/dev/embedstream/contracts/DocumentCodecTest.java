package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentCodecTest {

    @Test
    void shouldReadAFullDocument() {
        // Given a line with every field and an unknown future one
        String json = "{\"collection\":\"books\",\"id\":\"b1\",\"text\":\"Dune\",\"metadata\":{\"year\":1965},"
                + "\"version\":3,\"future\":true}";
        // When parsed
        Document doc = DocumentCodec.parse(json, null);
        // Then every field is kept and the unknown one ignored
        assertThat(doc.collection()).isEqualTo("books");
        assertThat(doc.id()).isEqualTo("b1");
        assertThat(doc.text()).isEqualTo("Dune");
        assertThat(doc.metadata()).containsEntry("year", 1965);
        assertThat(doc.version()).isEqualTo(3L);
    }

    @Test
    void shouldUseTheDefaultCollectionWhenTheLineHasNone() {
        assertThat(DocumentCodec.parse("{\"id\":7,\"text\":\"x\"}", "notes").key())
                .isEqualTo(new DocumentKey("notes", "7"));
    }

    @Test
    void shouldNameWhatIsWrongWithABadDocument() {
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"text\":\"x\"}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessage("missing document id");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"  \"}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty text");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\",\"metadata\":[1]}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'metadata' must be a JSON object");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\",\"version\":\"new\"}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'version' must be a whole number");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\"}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no 'text' field");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\"}{\"id\":\"b\",\"text\":\"y\"}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> DocumentCodec.parse("[1,2]", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be a JSON object");
    }

    @Test
    void shouldRefuseCollectionNamesWithSqlMetacharacters() {
        assertThatThrownBy(() -> DocumentCodec.parse(
                "{\"collection\":\"x\\\"; DROP TABLE users; --\",\"id\":\"a\",\"text\":\"t\"}", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid collection name")
                .hasMessageContaining("DROP TABLE");
    }

    @Test
    void shouldRefuseNulCharactersThatPostgresqlCannotStore() {
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\\u0000y\"}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"k\":\"\\u0000\"}}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("metadata contains a NUL");
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"k\":[1,{\"d\\u0000\":2}]}}", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("metadata contains a NUL");
    }

    @Test
    void shouldRefuseANulInMetadataValuesOfAnyTypeAJavaCallerMayPass() {
        // Given metadata a Java client may build: a char, a JSON node, a list inside a map
        List<Object> values = List.of('\u0000', Json.MAPPER.getNodeFactory().textNode("a\u0000b"),
                Map.of("k", List.of("x", "y\u0000")));
        for (Object value : values) {
            // When / Then
            assertThatThrownBy(() -> new Document("c", "a", "text", Map.of("m", value), null))
                    .as("%s", value).isInstanceOf(InvalidInputException.class).hasMessageContaining("NUL");
        }
    }

    @Test
    void shouldAcceptABackslashFollowedByU0000AsPlainText() {
        // Given metadata holding the six characters \u0000 (escaped in JSON as \\u0000), not a NUL
        Document doc = DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"k\":\"\\\\u0000\"}}", "c");

        // Then it is kept as written
        assertThat(doc.metadata().get("k")).isEqualTo("\\u0000");
    }

    @Test
    void shouldRefuseInvalidUtf8() {
        byte[] bytes = "{\"id\":\"a\",\"text\":\"caf?\"}".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 3] = (byte) 0xC3; // a lead byte followed by '"': not UTF-8
        assertThatThrownBy(() -> DocumentCodec.parse(bytes, null, "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void shouldRefuseAKeyThatDisagreesWithTheValue() {
        assertThatThrownBy(() -> DocumentCodec.parse("{\"id\":\"a\",\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                new DocumentKey("c", "b"), null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not match");
    }

    @Test
    void shouldReadTheSameDocumentOrRefuseItForTheSameReasonWithOrWithoutATree() {
        // Given valid and invalid documents, with unknown fields, duplicates, nesting and mistypes
        List<String> inputs = List.of(
                "{\"id\":\"a\",\"text\":\"t\"}",
                "{\"id\":7,\"text\":\"t\",\"version\":3,\"metadata\":{\"n\":1,\"f\":1.5,\"l\":[1,\"x\",{\"k\":null}],\"b\":true}}",
                "{\"extra\":{\"deep\":[1,2,{\"x\":\"y\"}]},\"id\":\"a\",\"text\":\"first\",\"text\":\"second\"}",
                "{\"collection\":\"other\",\"id\":\"a\",\"text\":\"t\",\"future\":\"ignored\"}",
                "{\"id\":\"a\",\"text\":\"t\",\"metadata\":null}",
                "{\"id\":\"a\",\"text\":\"t\",\"metadata\":[1]}",
                "{\"id\":\"a\",\"text\":{\"x\":1}}",
                "{\"id\":true,\"text\":\"t\"}",
                "{\"text\":\"t\",\"metadata\":\"m\"}",
                "{\"id\":\"a\",\"text\":\"t\",\"version\":1.5}",
                "{\"id\":\"a\",\"text\":\"t\"} {\"id\":\"b\",\"text\":\"u\"}",
                "[{\"id\":\"a\",\"text\":\"t\"}]",
                "{\"id\":\"a\",\"text\":",
                "{\"id\":-0,\"text\":\"t\",\"version\":null,\"collection\":null}",
                "{\"id\":99999999999,\"text\":\"t\",\"version\":9223372036854775807}",
                "{\"id\":99999999999999999999999,\"text\":\"t\"}",
                "{\"id\":\"a\",\"text\":\"t\",\"version\":99999999999999999999999}",
                "{\"id\":\"a\",\"version\":\"x\",\"metadata\":3}",
                "{\"id\":\"a\",\"text\":\"t\",\"version\":-1}",
                "{\"id\":\"a\",\"text\":null}",
                "{\"id\":null,\"text\":\"t\"}",
                "{\"collection\":5,\"text\":\"t\"}",
                "{\"collection\":\"bad name\",\"id\":\"a\",\"text\":\"t\"}",
                "{\"id\":\"a\",\"text\":\"   \"}",
                "{\"id\":\"a\",\"text\":\"t\",\"metadata\":{\"k\":1},\"metadata\":null}",
                "{\"id\":\"a\",\"text\":{\"x\":1},\"text\":\"t\"}",
                "{\"id\":\"a\",\"text\":\"nul \\u0000 inside\"}",
                "{\"id\":\"a\",\"text\":\"t\",\"metadata\":{\"k\":\"\\u0000\"}}",
                "{\"id\":\"a\",\"text\":\"t\",\"version\":-1,\"metadata\":{\"deep\":[{\"k\\u0000\":1}]}}",
                "{\"id\":\"a\",\"text\":\"t\",\"metadata\":{\"deep\":[{\"k\":[\"x\\u0000\"]}],\"n\":{}}}",
                "{\"id\":\"a\",\"text\":\"t\",\"metadata\":{\"deep\":[{\"k\":[\"x\"]}],\"n\":{}}}",
                "{}",
                "\"just a string\"",
                "{\"id\":\"a\",\"text\":\"t\"}}");
        for (String input : inputs) {
            byte[] json = input.getBytes(StandardCharsets.UTF_8);
            // When read both ways
            Object streamed = outcome(() -> DocumentCodec.parse(json, null, "c"));
            Object viaTree = outcome(() -> DocumentCodec.parse(DocumentCodec.tree(json), null, "c"));
            byte[] framed = ("{\"id\":\"before\"}\n" + input + "\n[garbage").getBytes(StandardCharsets.UTF_8);
            int offset = "{\"id\":\"before\"}\n".length();
            Object sliced = outcome(() -> DocumentCodec.parseUtf8(framed, offset, json.length, null, "c"));
            Object checked = checkOutcome(() -> DocumentCodec.checkUtf8(framed, offset, json.length, "c"));

            // Then both agree
            assertThat(streamed).as(input).isEqualTo(viaTree);
            assertThat(sliced).as("sliced " + input).isEqualTo(viaTree);
            assertThat(checked).as("checked " + input)
                    .isEqualTo(viaTree instanceof Document d ? d.key() : viaTree);
        }
    }

    private static Object checkOutcome(java.util.function.Supplier<DocumentKey> check) {
        try {
            return check.get();
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    private static Object outcome(java.util.function.Supplier<Document> read) {
        try {
            return read.get();
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }
}
