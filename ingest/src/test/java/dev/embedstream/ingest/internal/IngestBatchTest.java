package dev.embedstream.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentCodec;
import dev.embedstream.contracts.DocumentKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestBatchTest {

    @Test
    void shouldSendALineAsTheValueTheEmbedderReadsAsTheSameDocument() {
        // Given NDJSON lines as producers write them: spaces, unknown fields, nesting, the collection named or not
        List<String> lines = List.of(
                "{\"id\":\"a\",\"text\":\"plain\"}",
                "   { \"id\" : 7 , \"text\" : \"spaced\", \"version\": 3 }  ",
                "{\"future\":{\"x\":[1,2]},\"id\":\"b\",\"text\":\"with \\\"quotes\\\" and \\u00e9\",\"metadata\":{\"k\":[1,{\"n\":null}]}}",
                "{\"collection\":\"notes\",\"id\":\"c\",\"text\":\"named\"}",
                "{\"id\":\"d\",\"text\":\"first\",\"text\":\"last wins\"}");
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            Document expected = DocumentCodec.parse(bytes, null, "notes");

            // When the line becomes the topic's value
            byte[] value = IngestBatch.withCollection(bytes, "notes");

            // Then the embedder (value read with its key, no default collection) gets the same document
            assertThat(DocumentCodec.parse(value, new DocumentKey("notes", expected.id()), null)).as(line).isEqualTo(expected);
            assertThat(new String(value, StandardCharsets.UTF_8)).startsWith("{\"collection\":\"notes\",");
        }
    }
}
