package dev.embedstream.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embedstream.simulator.Faults;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@link Faults} as the JSON object of {@code POST /admin/faults} and {@code EMBEDSTREAM_SIM_FAULTS}: the record's
 * component names as keys; a key left out takes its {@link Faults#NONE} value, so a body replaces all faults.
 */
public final class FaultsJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RATES = List.of("serverErrorRate", "unavailableRate", "rateLimitStormRate",
            "slowRate", "timeoutRate", "connectionResetRate", "malformedJsonRate", "wrongDimensionsRate", "nanRate",
            "missingVectorsRate");
    private static final Map<String, Long> WAITS = Map.of("retryAfterMs", Faults.DEFAULT_RETRY_AFTER_MS,
            "slowLatencyMs", Faults.DEFAULT_SLOW_LATENCY_MS, "timeoutMs", Faults.DEFAULT_TIMEOUT_MS);
    private static final String FAIL_MARKER = "failMarker";

    private FaultsJson() {
    }

    /** @throws IllegalArgumentException naming the offending key, for bad JSON, unknown keys or bad values */
    public static Faults parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("faults must be a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    static Faults parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("faults must be a JSON object");
        }
        rejectUnknownKeys(node);
        return new Faults(rate(node, "serverErrorRate"), rate(node, "unavailableRate"),
                rate(node, "rateLimitStormRate"), millis(node, "retryAfterMs"), rate(node, "slowRate"),
                millis(node, "slowLatencyMs"), rate(node, "timeoutRate"), millis(node, "timeoutMs"),
                rate(node, "connectionResetRate"), rate(node, "malformedJsonRate"),
                rate(node, "wrongDimensionsRate"), rate(node, "nanRate"), rate(node, "missingVectorsRate"),
                marker(node));
    }

    static ObjectNode toJson(Faults faults) {
        return JSON.valueToTree(faults);
    }

    private static void rejectUnknownKeys(JsonNode node) {
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!RATES.contains(key) && !WAITS.containsKey(key) && !FAIL_MARKER.equals(key)) {
                throw new IllegalArgumentException("unknown fault '" + key + "' (known: " + RATES + ", "
                        + WAITS.keySet() + ", " + FAIL_MARKER + ")");
            }
        }
    }

    private static double rate(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number between 0 and 1: " + value);
        }
        return value.asDouble();
    }

    private static long millis(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return WAITS.get(key);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(key + " must be a whole number of milliseconds: " + value);
        }
        return value.asLong();
    }

    private static String marker(JsonNode node) {
        JsonNode value = node.get(FAIL_MARKER);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(FAIL_MARKER + " must be a string: " + value);
        }
        return value.asText();
    }
}
