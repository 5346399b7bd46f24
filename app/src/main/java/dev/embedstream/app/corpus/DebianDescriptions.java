package dev.embedstream.app.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real text for the bench: Debian's English package descriptions (a one-line summary and a body
 * each), as {@code scripts/fetch-corpus.sh} downloads them. Written by thousands of people about
 * everything from games to kernels, so a retrieval task over them has real vocabulary and real
 * near-duplicates, unlike generated text.
 */
public final class DebianDescriptions {

    /** Where {@code scripts/fetch-corpus.sh} puts the file, relative to the project directory. */
    public static final Path DEFAULT_FILE = Path.of(".local/corpus/debian-bookworm-descriptions-en.txt");

    private static final String FIELD = "Description-en: ";
    private static final int MIN_BODY_WORDS = 12;

    /** One package: the summary line is a natural query, the body its only right answer. */
    public record Description(String packageName, String summary, String body) {
        /** A stable document id. */
        public String id() {
            return "deb-" + packageName;
        }
    }

    private DebianDescriptions() {}

    /**
     * Query/answer pairs: descriptions whose summary and body both occur once in the archive (a summary
     * shared by many packages, like "debug symbols", has no single right answer) and whose body has a
     * few sentences, shuffled with {@code seed}.
     */
    public static List<Description> uniquePairs(Path file, long seed) {
        List<Description> all = read(file);
        Map<String, Integer> summaries = counts(all, true);
        Map<String, Integer> bodies = counts(all, false);
        List<Description> pairs = new ArrayList<>();
        for (Description d : all) {
            if (summaries.get(key(d.summary())) == 1 && bodies.get(key(d.body())) == 1
                    && d.body().split("\\s+").length >= MIN_BODY_WORDS) {
                pairs.add(d);
            }
        }
        Collections.shuffle(pairs, new Random(seed));
        return pairs;
    }

    /** One real text of the archive: a summary line or a body, under a stable document id. */
    public record Text(String id, String text) {
    }

    /**
     * Every distinct summary line and every distinct body, each a document of its own (a collection of
     * titles and descriptions, the short and the long texts a real one holds), shuffled with
     * {@code seed}; a text shared by many packages (a -dev and a -doc package often share a body) is
     * taken once, from the first package that has it, so no query has copies of itself among its answers.
     */
    public static List<Text> distinctTexts(Path file, long seed) {
        List<Text> texts = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Description d : read(file)) {
            if (seen.add(key(d.summary()))) {
                texts.add(new Text(unique(ids, d.id() + "-summary"), d.summary()));
            }
            if (seen.add(key(d.body()))) {
                texts.add(new Text(unique(ids, d.id() + "-body"), d.body()));
            }
        }
        Collections.shuffle(texts, new Random(seed));
        return texts;
    }

    // a package listed twice (the archive has a few, e.g. default-jdk) gets -2, -3... on its later ids
    private static String unique(java.util.Set<String> ids, String id) {
        String candidate = id;
        for (int n = 2; !ids.add(candidate); n++) {
            candidate = id + "-" + n;
        }
        return candidate;
    }

    /** Every description in the file, in file order. */
    public static List<Description> read(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("the real-text corpus " + file + " is missing: run scripts/fetch-corpus.sh"
                    + " (make bench does) to download Debian's package descriptions");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Debian's control-file format: a field, continuation lines start with a space, " ." is a blank line. */
    static List<Description> parse(BufferedReader in) throws IOException {
        List<Description> out = new ArrayList<>();
        String pkg = null;
        String summary = null;
        StringBuilder body = new StringBuilder();
        for (String line = in.readLine(); ; line = in.readLine()) {
            if (line == null || line.isEmpty()) {
                if (pkg != null && summary != null && !body.isEmpty()) {
                    out.add(new Description(pkg, summary.strip(), body.toString().strip()));
                }
                if (line == null) {
                    return out;
                }
                pkg = null;
                summary = null;
                body.setLength(0);
            } else if (line.startsWith("Package: ")) {
                pkg = line.substring("Package: ".length()).strip();
            } else if (line.startsWith(FIELD)) {
                summary = line.substring(FIELD.length());
            } else if (line.startsWith(" ") && summary != null) {
                appendContinuation(body, line.substring(1));
            }
        }
    }

    private static void appendContinuation(StringBuilder body, String line) {
        if (line.equals(".")) {
            body.append('\n');
        } else {
            if (!body.isEmpty() && body.charAt(body.length() - 1) != '\n') {
                body.append(' ');
            }
            body.append(line.strip());
        }
    }

    private static Map<String, Integer> counts(List<Description> all, boolean summary) {
        Map<String, Integer> counts = new HashMap<>();
        all.forEach(d -> counts.merge(key(summary ? d.summary() : d.body()), 1, Integer::sum));
        return counts;
    }

    private static String key(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
    }
}
