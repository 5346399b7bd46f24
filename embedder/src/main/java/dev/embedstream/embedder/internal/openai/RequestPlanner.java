package dev.embedstream.embedder.internal.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs inputs into as few requests as the provider's caps allow: inputs per request, real tokens
 * per request, and the provider's byte-based estimate of tokens (about 0.25 per UTF-8 byte), which
 * can refuse a request the real count would allow.
 */
public final class RequestPlanner {

    /** One planned request: positions of its inputs in the caller's list, and its real token count. */
    public record Planned(List<Integer> positions, int tokens) {
    }

    private static final double ESTIMATED_TOKENS_PER_BYTE = 0.25;

    private final int maxInputs;
    private final int maxTokens;

    public RequestPlanner(int maxInputs, int maxTokens) {
        this.maxInputs = maxInputs;
        this.maxTokens = maxTokens;
    }

    /** Requests in input order; {@code tokens[i]} is the real count of input {@code i}. */
    public List<Planned> plan(List<String> inputs, int[] tokens) {
        List<Planned> plans = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long currentTokens = 0;
        long currentEstimate = 0;
        for (int i = 0; i < inputs.size(); i++) {
            long estimate = (long) Math.ceil(inputs.get(i).getBytes(StandardCharsets.UTF_8).length * ESTIMATED_TOKENS_PER_BYTE);
            boolean full = current.size() == maxInputs || currentTokens + tokens[i] > maxTokens
                    || currentEstimate + estimate > maxTokens;
            if (full && !current.isEmpty()) {
                plans.add(new Planned(List.copyOf(current), (int) currentTokens));
                current.clear();
                currentTokens = 0;
                currentEstimate = 0;
            }
            current.add(i);
            currentTokens += tokens[i];
            currentEstimate += estimate;
        }
        if (!current.isEmpty()) {
            plans.add(new Planned(List.copyOf(current), (int) currentTokens));
        }
        return plans;
    }
}
