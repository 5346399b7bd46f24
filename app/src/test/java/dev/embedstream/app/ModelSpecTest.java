package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.InvalidInputException;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void shouldTellLocalFromApiModels() {
        assertThat(ModelSpec.parse("all-minilm-l6-v2", 0)).isEqualTo(new ModelSpec("local", "all-minilm-l6-v2", 0));
        assertThat(ModelSpec.parse("text-embedding-3-small", 512))
                .isEqualTo(new ModelSpec("openai", "text-embedding-3-small", 512));
        assertThat(ModelSpec.parse("openai:nomic-embed-text", 0)).isEqualTo(new ModelSpec("openai", "nomic-embed-text", 0));
    }

    @Test
    void shouldReadAVariantOfTheBundledModelOnly() {
        assertThat(ModelSpec.parse("all-minilm-l6-v2@fp32", 0)).isEqualTo(new ModelSpec("local", "all-minilm-l6-v2", "fp32", 0));
        assertThat(ModelSpec.parse("local:all-minilm-l6-v2@int8", 0).variant()).isEqualTo("int8");
        assertThat(ModelSpec.parse("all-minilm-l6-v2", 0).variant()).isEmpty();
        assertThat(ModelSpec.parse("openai:org@model", 0)).isEqualTo(new ModelSpec("openai", "org@model", 0));
        assertThatThrownBy(() -> ModelSpec.parse("all-minilm-l6-v2@int4", 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown variant 'int4'").hasMessageContaining("fp32");
    }

    @Test
    void shouldRefuseWhatCannotBeServed() {
        assertThatThrownBy(() -> ModelSpec.parse("local:bge-small", 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown local model 'bge-small'");
        assertThatThrownBy(() -> ModelSpec.parse("all-minilm-l6-v2", 128)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("384-dimension");
        assertThatThrownBy(() -> ModelSpec.parse("cohere:embed", 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown model provider 'cohere'");
        assertThatThrownBy(() -> ModelSpec.parse(" ", 0)).isInstanceOf(InvalidInputException.class);
    }
}
