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

    @Test
    void shouldSkipAByteOrderMarkBeforeTheBodyAndRejectOneBeforeALaterLine() throws Exception {
        // Given NDJSON starting with a UTF-8 byte-order mark, and a second line starting with one too
        String bom = "\uFEFF";
        byte[] body = (bom + "{\"id\":\"a\",\"text\":\"first\"}\n" + bom + "{\"id\":\"b\",\"text\":\"second\"}\n")
                .getBytes(StandardCharsets.UTF_8);

        // When the body is read
        IngestBatch batch = IngestBatch.parse("notes", body);

        // Then the first line is a document and only the second is rejected, saying why (no exception)
        assertThat(batch.rejected()).isEqualTo(1);
        java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
        batch.writeReply(reply);
        assertThat(reply.toString(StandardCharsets.UTF_8)).contains("\"index\":1,\"id\":\"b\",\"status\":\"rejected\"")
                .contains("byte-order mark");
    }
}
