package dev.embedstream.app.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.app.corpus.DebianDescriptions.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianDescriptionsTest {

    // Two packages sharing a body (as -dev and -doc packages do), one listed twice with another text.
    private static final String ARCHIVE = """
            Package: alpha
            Description-md5: 1
            Description-en: Alpha tool for testing
             Alpha does things.
             .
             It does them well.

            Package: alpha-doc
            Description-md5: 2
            Description-en: Documentation for alpha
             Alpha does things.
             .
             It does them well.

            Package: alpha
            Description-md5: 3
            Description-en: Alpha tool, older release
             An older alpha that did fewer things.
            """;

    @TempDir
    Path dir;

    @Test
    void shouldTakeEachDistinctSummaryAndBodyOnceUnderUniqueIds() throws Exception {
        // Given an archive with a body shared by two packages and a package listed twice
        Path file = Files.writeString(dir.resolve("descriptions.txt"), ARCHIVE);

        // When its distinct texts are read
        List<Text> texts = DebianDescriptions.distinctTexts(file, 5);

        // Then three summaries and two bodies remain, each id once, the second listing's ids suffixed
        assertThat(texts).extracting(Text::text).containsExactlyInAnyOrder(
                "Alpha tool for testing", "Documentation for alpha", "Alpha tool, older release",
                "Alpha does things.\nIt does them well.", "An older alpha that did fewer things.");
        assertThat(texts).extracting(Text::id).doesNotHaveDuplicates()
                .contains("deb-alpha-summary", "deb-alpha-body", "deb-alpha-doc-summary", "deb-alpha-summary-2",
                        "deb-alpha-body-2");
    }

    @Test
    void shouldShuffleTheSameWayForTheSameSeed() throws Exception {
        // Given the archive
        Path file = Files.writeString(dir.resolve("descriptions.txt"), ARCHIVE);

        // When it is read twice with one seed
        List<Text> first = DebianDescriptions.distinctTexts(file, 5);
        List<Text> second = DebianDescriptions.distinctTexts(file, 5);

        // Then the order is the same, so a cached prefix of it stays a prefix
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldSayHowToGetTheCorpusWhenItIsMissing() {
        assertThatThrownBy(() -> DebianDescriptions.distinctTexts(dir.resolve("none.txt"), 5))
                .hasMessageContaining("scripts/fetch-corpus.sh");
    }
}
