package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ModelId;
import org.junit.jupiter.api.Test;

class ChangedDimensionsTest {

    private static final ModelId SMALL_64 = new ModelId("text-embedding-3-small", "api", 64, 8191);

    @Test
    void shouldRefuseTheSameModelAtOtherDimensionsNamingBothWaysOut() {
        // Given a collection embedded at 64 dimensions, When the config asks for 32 of the same model
        // Then start-up is refused with the key, both widths and the re-embed command
        assertThatThrownBy(() -> Pipeline.refuseChangedDimensions("docs", SMALL_64,
                new ModelId("text-embedding-3-small", "api", 32, 8191)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("EMBEDSTREAM_OPENAI_DIMENSIONS")
                .hasMessageContaining("@api/64").hasMessageContaining("@api/32")
                .hasMessageContaining("embedstream reembed docs --model text-embedding-3-small --dimensions 32");
    }

    @Test
    void shouldAcceptAnotherModelAsTheDefaultForNewCollections() {
        // Given a collection of one model, When the configured default is another model
        // Then start-up goes on (the collection keeps its model; new collections get the new one)
        assertThatCode(() -> Pipeline.refuseChangedDimensions("docs", SMALL_64,
                new ModelId("all-minilm-l6-v2", "fp32", 384, 256))).doesNotThrowAnyException();
        assertThatCode(() -> Pipeline.refuseChangedDimensions("docs", SMALL_64, SMALL_64)).doesNotThrowAnyException();
    }
}
