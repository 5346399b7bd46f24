package dev.embedstream.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Reads and validates an embeddings request the way OpenAI does, with OpenAI's limits and error wording. */
final class RequestParser {

    static final int MAX_INPUTS = 2048;
    static final int MAX_TOKENS_PER_INPUT = 8192;
    static final int MAX_TOKENS_PER_REQUEST = 300_000;

    private static final Set<String> KNOWN_FIELDS = Set.of("model", "input", "dimensions", "encoding_format", "user");
    private static final String INVALID_INPUT = "'$.input' is invalid. Please check the API reference.";

    private final ObjectMapper json;
    private final int defaultDimensions;

    RequestParser(ObjectMapper json, int defaultDimensions) {
        this.json = json;
        this.defaultDimensions = defaultDimensions;
    }

    /** @param failMarker inputs containing it are refused as if permanently invalid; null disables the check */
    EmbeddingRequest parse(byte[] body, String failMarker) throws ApiError {
        JsonNode root = readObject(body);
        rejectUnknownFields(root);
        ModelSpec model = ModelSpec.of(model(root), defaultDimensions);
        int dimensions = dimensions(root, model);
        boolean base64 = base64(root);
        requireStringOrAbsent(root, "user");
        List<EmbeddingInput> inputs = inputs(root);
        int[] tokens = countAndCheck(inputs, failMarker);
        return new EmbeddingRequest(model, inputs, tokens, dimensions, base64);
    }

    private JsonNode readObject(byte[] body) throws ApiError {
        try {
            JsonNode root = json.readTree(body);
            if (root != null && root.isObject()) {
                return root;
            }
        } catch (IOException e) {
            // answered below, like any other body that is not a JSON object
        }
        throw ApiError.invalidRequest("We could not parse the JSON body of your request. (HINT: This likely means "
                + "you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
                + "sent was not valid JSON.)");
    }

    private static void rejectUnknownFields(JsonNode root) throws ApiError {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN_FIELDS.contains(name)) {
                throw ApiError.invalidRequest("Unrecognized request argument supplied: " + name);
            }
        }
    }

    private static String model(JsonNode root) throws ApiError {
        JsonNode model = present(root, "model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw ApiError.invalidRequest("you must provide a model parameter");
        }
        return model.asText();
    }

    private static int dimensions(JsonNode root, ModelSpec model) throws ApiError {
        JsonNode node = present(root, "dimensions");
        if (node == null) {
            return model.nativeDimensions();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiError.invalidRequest("'" + node + "' is not of type 'integer' - 'dimensions'", "dimensions",
                    null);
        }
        if (!model.shortenable()) {
            throw ApiError.invalidRequest("This model does not support specifying dimensions.", "dimensions", null);
        }
        int dimensions = node.asInt();
        if (dimensions < 1 || dimensions > model.nativeDimensions()) {
            throw ApiError.invalidRequest("Invalid value for 'dimensions' = " + dimensions + ". Must be between 1 and "
                    + model.nativeDimensions() + ".", "dimensions", "invalid_value");
        }
        return dimensions;
    }

    private static boolean base64(JsonNode root) throws ApiError {
        JsonNode node = present(root, "encoding_format");
        if (node == null) {
            return false;
        }
        String format = node.isTextual() ? node.asText() : node.toString();
        return switch (format) {
            case "float" -> false;
            case "base64" -> true;
            default -> throw ApiError.invalidRequest(
                    "'" + format + "' is not one of ['float', 'base64'] - 'encoding_format'", "encoding_format", null);
        };
    }

    private static void requireStringOrAbsent(JsonNode root, String field) throws ApiError {
        JsonNode node = present(root, field);
        if (node != null && !node.isTextual()) {
            throw ApiError.invalidRequest("'" + node + "' is not of type 'string' - '" + field + "'", field, null);
        }
    }

    private static List<EmbeddingInput> inputs(JsonNode root) throws ApiError {
        JsonNode input = present(root, "input");
        if (input == null) {
            throw ApiError.invalidRequest("'input' is a required property", "input", null);
        }
        if (input.isTextual()) {
            return List.of(EmbeddingInput.ofText(input.asText()));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ApiError.invalidRequest(INVALID_INPUT, "input", null);
        }
        if (allMatch(input, JsonNode::isIntegralNumber)) {
            return List.of(EmbeddingInput.ofTokens(tokenIds(input)));
        }
        return arrayOfInputs(input);
    }

    private static List<EmbeddingInput> arrayOfInputs(JsonNode input) throws ApiError {
        if (input.size() > MAX_INPUTS) {
            throw ApiError.invalidRequest("Too many inputs. The max number of inputs is " + MAX_INPUTS + ".",
                    "input", null);
        }
        List<EmbeddingInput> inputs = new ArrayList<>(input.size());
        if (allMatch(input, JsonNode::isTextual)) {
            input.forEach(text -> inputs.add(EmbeddingInput.ofText(text.asText())));
            return inputs;
        }
        if (allMatch(input, node -> node.isArray() && allMatch(node, JsonNode::isIntegralNumber))) {
            for (JsonNode ids : input) {
                inputs.add(EmbeddingInput.ofTokens(tokenIds(ids)));
            }
            return inputs;
        }
        throw ApiError.invalidRequest(INVALID_INPUT, "input", null);
    }

    private static int[] tokenIds(JsonNode array) throws ApiError {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.canConvertToInt() || id.asInt() < 0) {
                throw ApiError.invalidRequest(INVALID_INPUT + " Token ids must be non-negative integers.", "input",
                        null);
            }
            ids[i] = id.asInt();
        }
        return ids;
    }

    private static int[] countAndCheck(List<EmbeddingInput> inputs, String failMarker) throws ApiError {
        int[] tokens = new int[inputs.size()];
        long total = 0;
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = checkedTokens(inputs.get(i), i, failMarker);
            total += tokens[i];
        }
        if (total > MAX_TOKENS_PER_REQUEST) {
            throw ApiError.invalidRequest("Requested " + total + " tokens, max " + MAX_TOKENS_PER_REQUEST
                    + " tokens per request", null, "max_tokens_per_request");
        }
        return tokens;
    }

    private static int checkedTokens(EmbeddingInput input, int index, String failMarker) throws ApiError {
        if (input.isEmpty()) {
            throw ApiError.invalidRequest(INVALID_INPUT + " Input " + index + " is empty.", "input", null);
        }
        int tokens = input.tokenCount();
        if (tokens > MAX_TOKENS_PER_INPUT) {
            throw ApiError.invalidRequest("This model's maximum context length is " + MAX_TOKENS_PER_INPUT
                    + " tokens, however you requested " + tokens + " tokens (" + tokens + " in your prompt; 0 for the "
                    + "completion). Please reduce your prompt; or completion length.");
        }
        if (failMarker != null && input.contains(failMarker)) {
            throw ApiError.invalidRequest("Input " + index + " was rejected: it contains the simulator's failure "
                    + "marker '" + failMarker + "'.", "input[" + index + "]", "input_rejected");
        }
        return tokens;
    }

    /** OpenAI treats an explicit JSON null like an absent optional field. */
    private static JsonNode present(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private static boolean allMatch(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode element : array) {
            if (!test.test(element)) {
                return false;
            }
        }
        return true;
    }
}
