package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Holds the published JSON Schema to the code that enforces the contract, so neither can change
 * without the other: limits, patterns, field names, header names and examples are checked here.
 */
class DocumentSchemaTest {

    private static final String RESOURCE = "/schema/embedstream-documents-v1.schema.json";
    private static final JsonNode SCHEMA = load();

    @Test
    void shouldBeAVersionedDraft202012Schema() {
        assertThat(SCHEMA.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(SCHEMA.path("$id").asText()).endsWith("/embedstream-documents-v1.schema.json");
        assertThat(SCHEMA.path("x-embedstream").path("contractVersion").asInt()).isEqualTo(1);
    }

    @Test
    void shouldNameTheTopicsAndThePrefixVariableTheCodeUses() {
        JsonNode topics = SCHEMA.path("x-embedstream").path("topics");
        assertThat(topics.path("documents").asText()).isEqualTo(Topics.DOCUMENTS.name());
        assertThat(topics.path("embeddings").asText()).isEqualTo(Topics.EMBEDDINGS.name());
        assertThat(topics.path("deadLetters").asText()).isEqualTo(Topics.DEAD_LETTERS.name());
        assertThat(SCHEMA.path("x-embedstream").path("topicPrefixVariable").asText()).isEqualTo(KafkaSettings.TOPIC_PREFIX);
    }

    @Test
    void shouldHoldTheTextLimitOfDocument() {
        // Given the schema of a document's text
        JsonNode text = def("document").path("properties").path("text");
        // Then its byte limit is the code's, and the character bound is no tighter than it
        assertThat(text.path("x-maxUtf8Bytes").asInt()).isEqualTo(Document.MAX_TEXT_BYTES);
        assertThat(text.path("maxLength").asInt()).isEqualTo(Document.MAX_TEXT_BYTES);
        assertThatThrownBy(() -> new Document("c", "a", "x".repeat(Document.MAX_TEXT_BYTES + 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(new Document("c", "a", "x".repeat(Document.MAX_TEXT_BYTES)).text()).hasSize(Document.MAX_TEXT_BYTES);
    }

    @Test
    void shouldMatchTheCollectionNameRule() {
        // Given the schema's collection name
        JsonNode name = def("collectionName");
        Pattern pattern = pattern(name);
        assertThat(name.path("maxLength").asInt()).isEqualTo(CollectionName.MAX_LENGTH);
        // Then it accepts exactly what CollectionName accepts
        List<String> samples = List.of("a", "articles", "docs_2024", "a" + "b".repeat(CollectionName.MAX_LENGTH - 1),
                "a" + "b".repeat(CollectionName.MAX_LENGTH), "", "Articles", "1st", "_x", "a-b", "a b", "x\"; DROP TABLE users; --",
                "caf\u00e9", "a\n");
        for (String sample : samples) {
            assertThat(pattern.matcher(sample).find()).as(sample).isEqualTo(CollectionName.isValid(sample));
        }
    }

    @Test
    void shouldMatchTheDocumentIdRule() {
        // Given the schema's id text
        JsonNode id = def("documentIdText");
        assertThat(id.path("x-maxUtf8Bytes").asInt()).isEqualTo(DocumentId.MAX_BYTES);
        assertThat(id.path("maxLength").asInt()).isEqualTo(DocumentId.MAX_BYTES);
        // Then for every one-character id its patterns agree with DocumentId
        List<Pattern> patterns = new ArrayList<>();
        id.path("allOf").forEach(part -> patterns.add(pattern(part.has("$ref") ? ref(part) : part)));
        assertThat(patterns).hasSize(2);
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            String sample = String.valueOf(c);
            boolean schemaAccepts = patterns.stream().allMatch(p -> p.matcher(sample).find());
            assertThat(schemaAccepts).as("U+%04X", (int) c).isEqualTo(accepts(() -> DocumentId.requireValid(sample)));
        }
        assertThat(accepts(() -> DocumentId.requireValid("\u00e9".repeat(DocumentId.MAX_BYTES / 2 + 1)))).isFalse();
    }

    @Test
    void shouldMatchTheBlankAndNulRulesOfTheText() {
        // Given the patterns of the text
        JsonNode text = def("document").path("properties").path("text");
        Pattern notBlank = pattern(ref(text.path("allOf").get(0)));
        Pattern nul = Pattern.compile(text.path("allOf").get(1).path("not").path("pattern").asText());
        // Then for every character, alone and beside a letter, they agree with Document
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            for (String sample : List.of(String.valueOf(c), "x" + c)) {
                boolean schemaAccepts = notBlank.matcher(sample).find() && !nul.matcher(sample).find();
                assertThat(schemaAccepts).as("U+%04X in %s", (int) c, sample.length())
                        .isEqualTo(accepts(() -> new Document("c", "a", sample)));
            }
        }
    }

    @Test
    void shouldListTheFieldsTheRecordsHave() {
        assertThat(propertiesOf(def("document"))).isEqualTo(componentsOf(Document.class));
        assertThat(propertiesOf(def("documentKey"))).isEqualTo(componentsOf(DocumentKey.class));
        assertThat(propertiesOf(def("embeddedDocument"))).isEqualTo(componentsOf(EmbeddedDocument.class));
        assertThat(propertiesOf(def("modelId"))).isEqualTo(componentsOf(ModelId.class));
        assertThat(propertiesOf(def("chunk"))).isEqualTo(componentsOf(Chunk.class));
    }

    @Test
    void shouldDescribeWhatTheJavaProducersWrite() throws IOException {
        // Given a document as the Java producers serialize it
        Document doc = new Document("articles", "a-17", "t", Map.of("k", 1), 3L);
        JsonNode written = Json.MAPPER.readTree(Topics.DOCUMENTS.value().serializer().serialize("t", doc));
        // Then it has exactly the schema's fields, and the required ones are the ones the parser demands
        assertThat(fieldNames(written)).isEqualTo(propertiesOf(def("document")));
        assertThat(textsOf(def("document").path("required"))).containsExactlyInAnyOrder("id", "text");
        assertThat(textsOf(def("documentKey").path("required"))).containsExactlyInAnyOrder("collection", "id");
        // and a version of null, which the Java producers write when there is none, is allowed
        assertThat(def("document").path("properties").path("version").toString()).contains("\"null\"");
        assertThat(def("document").path("properties").path("version").path("oneOf").get(0).path("maximum").asLong())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldWriteKeysInTheCanonicalFormTheSchemaDescribes() {
        // Given an id with the characters JSON encoders disagree about
        DocumentKey key = new DocumentKey("articles", "a\"b\\c/\u00e9<>&\u2028");
        // When the documents topic's serde writes it
        byte[] bytes = Topics.DOCUMENTS.key().serializer().serialize("t", key);
        // Then only the quote and the backslash are escaped, nothing is spaced, and the rest is raw UTF-8
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"collection\":\"articles\",\"id\":\"a\\\"b\\\\c/\u00e9<>&\u2028\"}");
    }

    @Test
    void shouldIgnoreUnknownFieldsAsTheSchemaSays() {
        // Given the schema's promise about unknown fields
        assertThat(SCHEMA.path("x-embedstream").path("unknownValueFields").asText()).isEqualTo("ignored");
        assertThat(def("document").has("additionalProperties")).isFalse();
        // Then both readers of a value accept one with a field they do not know
        String json = "{\"collection\":\"c\",\"id\":\"a\",\"text\":\"t\",\"added_in_v2\":{\"x\":1}}";
        assertThat(DocumentCodec.parse(json, null).id()).isEqualTo("a");
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), Document.class).id()).isEqualTo("a");
        assertThat(Json.read("{\"collection\":\"c\",\"id\":\"a\",\"x\":1}".getBytes(StandardCharsets.UTF_8),
                DocumentKey.class)).isEqualTo(new DocumentKey("c", "a"));
    }

    @Test
    void shouldAcceptEveryExample() {
        // Every example document parses as the embedder parses it
        for (JsonNode example : def("document").path("examples")) {
            assertThat(accepts(() -> DocumentCodec.parse(bytes(example), null, "fallback"))).as(example.toString()).isTrue();
        }
        // and every example record's key and value agree as the embedder requires
        for (JsonNode example : SCHEMA.path("examples")) {
            DocumentKey key = Json.read(bytes(example.path("key")), DocumentKey.class);
            if (!example.path("value").isNull()) {
                assertThat(DocumentCodec.parse(bytes(example.path("value")), key, null).key()).isEqualTo(key);
            }
        }
    }

    @Test
    void shouldNameTheDeadLetterHeadersDeadLettersWrites() throws IllegalAccessException {
        // Given every header name DeadLetters defines
        Set<String> headers = new TreeSet<>();
        for (Field f : DeadLetters.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                headers.add((String) f.get(null));
            }
        }
        // Then the schema describes exactly those, reason and stage always present
        assertThat(propertiesOf(def("deadLetterHeaders"))).isEqualTo(headers);
        assertThat(textsOf(def("deadLetterHeaders").path("required")))
                .containsExactlyInAnyOrder(DeadLetters.REASON, DeadLetters.STAGE);
    }

    @Test
    void shouldHoldTheModelLimits() {
        JsonNode model = def("modelId").path("properties");
        int maxDimensions = model.path("dimensions").path("maximum").asInt();
        int minTokens = model.path("maxTokens").path("minimum").asInt();
        assertThat(accepts(() -> new ModelId("m", "fp32", maxDimensions, minTokens))).isTrue();
        assertThat(accepts(() -> new ModelId("m", "fp32", maxDimensions + 1, minTokens))).isFalse();
        assertThat(accepts(() -> new ModelId("m", "fp32", maxDimensions, minTokens - 1))).isFalse();
        Pattern name = pattern(model.path("name"));
        for (String sample : List.of("all-minilm-l6-v2", "openai:text-embedding-3-small", "org/model.v2", "-x", "a b", "")) {
            assertThat(name.matcher(sample).find()).as(sample).isEqualTo(accepts(() -> new ModelId(sample, "fp32", 8, 8)));
        }
    }

    private static JsonNode load() {
        try (InputStream in = DocumentSchemaTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + RESOURCE, e);
        }
    }

    private static JsonNode def(String name) {
        JsonNode node = SCHEMA.path("$defs").path(name);
        assertThat(node.isObject()).as("$defs/" + name).isTrue();
        return node;
    }

    private static JsonNode ref(JsonNode node) {
        String ref = node.path("$ref").asText();
        assertThat(ref).startsWith("#/$defs/");
        return def(ref.substring("#/$defs/".length()));
    }

    /**
     * JSON Schema patterns are ECMA-262 and unanchored, hence find(). ECMA's {@code $} is the end of the
     * input, where Java's also matches before a final line break ("a\n" would pass), so it becomes {@code \z}.
     */
    private static Pattern pattern(JsonNode node) {
        assertThat(node.has("pattern")).as(node.toString()).isTrue();
        String ecma = node.path("pattern").asText();
        String java = ecma.endsWith("$") && !ecma.endsWith("\\$") ? ecma.substring(0, ecma.length() - 1) + "\\z" : ecma;
        return Pattern.compile(java);
    }

    private static Set<String> propertiesOf(JsonNode schema) {
        return fieldNames(schema.path("properties"));
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> componentsOf(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> textsOf(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean accepts(Runnable check) {
        try {
            check.run();
            return true;
        } catch (InvalidInputException | IllegalArgumentException e) {
            return false;
        }
    }
}
