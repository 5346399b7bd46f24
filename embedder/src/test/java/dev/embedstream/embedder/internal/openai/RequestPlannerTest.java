package dev.embedstream.embedder.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestPlannerTest {

    @Test
    void shouldPackInputsUpToTheInputCap() {
        // Given 5,000 short inputs and OpenAI's cap of 2,048 inputs per request
        List<String> inputs = Collections.nCopies(5000, "short text");
        int[] tokens = new int[5000];
        java.util.Arrays.fill(tokens, 2);
        // When planned
        List<RequestPlanner.Planned> plans = new RequestPlanner(2048, 300_000).plan(inputs, tokens);
        // Then three requests carry them, none above the cap, in order
        assertThat(plans).extracting(p -> p.positions().size()).containsExactly(2048, 2048, 904);
        assertThat(plans.get(1).positions().get(0)).isEqualTo(2048);
    }

    @Test
    void shouldSplitOnRealTokens() {
        // Given three inputs of 6,000 tokens and a request cap of 10,000 tokens
        List<String> inputs = List.of("a", "b", "c");
        int[] tokens = {6000, 6000, 6000};
        // When planned
        List<RequestPlanner.Planned> plans = new RequestPlanner(2048, 10_000).plan(inputs, tokens);
        // Then each goes alone
        assertThat(plans).extracting(RequestPlanner.Planned::tokens).containsExactly(6000, 6000, 6000);
    }

    @Test
    void shouldRespectTheProvidersByteEstimateToo() {
        // Given inputs whose real token count is small but whose bytes are many (the provider estimates 0.25 tokens/byte)
        String bulky = "\u20ac".repeat(4000); // 12,000 UTF-8 bytes: estimated 3,000 tokens
        List<String> inputs = List.of(bulky, bulky, bulky);
        int[] tokens = {1000, 1000, 1000};
        // When planned under a 5,000-token cap
        List<RequestPlanner.Planned> plans = new RequestPlanner(2048, 5000).plan(inputs, tokens);
        // Then the estimate, not the real count, splits them
        assertThat(plans).hasSize(3);
    }
}
