package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.embedder.LocalModels;
import dev.embedstream.writer.SearchHit;
import dev.embedstream.writer.VectorStore;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedstream search "text" --collection X --k 10}: nearest chunks by the collection's model. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Embed the query with the collection's model and print the nearest chunks with scores.")
public final class SearchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "QUERY")
    String query;

    @Option(names = "--collection", required = true)
    String collection;

    @Option(names = "--k", defaultValue = "10", description = "results to return (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--ef-search", defaultValue = "40", description = "HNSW ef_search (default ${DEFAULT-VALUE})")
    int efSearch;

    @Option(names = "--explain", description = "also print the query plan")
    boolean explain;

    @Override
    public Integer call() {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        try (VectorStore store = VectorStore.open(config.writer()); EmbeddingProvider model = LocalModels.allMiniLmL6V2()) {
            search(store, model, collection, query, k, efSearch, explain, System.out);
        }
        return 0;
    }

    /** Embeds the query, searches, prints the hits (and the plan when asked). */
    public static List<SearchHit> search(VectorStore store, EmbeddingProvider model, String collection, String query,
                                         int k, int efSearch, boolean explain, PrintStream out) {
        var info = store.collection(collection).orElseThrow(() ->
                new dev.embedstream.contracts.InvalidInputException("unknown collection '" + collection + "'"));
        if (!info.model().equals(model.model())) {
            throw new dev.embedstream.contracts.InvalidInputException("collection '" + collection + "' is embedded with "
                    + info.model().key() + "; this search uses " + model.model().key());
        }
        int tokens = model.countTokens(query);
        if (tokens > model.model().maxTokens()) {
            throw new dev.embedstream.contracts.InvalidInputException("the query is " + tokens
                    + " tokens; the model's window is " + model.model().maxTokens());
        }
        float[] vector = model.embed(List.of(query)).get(0);
        List<SearchHit> hits = store.search(collection, vector, k, efSearch);
        out.printf("Search \"%s\" in %s (k=%d, ef_search=%d, model %s):%n", query, collection, k, efSearch,
                model.model().key());
        int rank = 1;
        for (SearchHit hit : hits) {
            Object title = hit.metadata().getOrDefault("title", "");
            out.printf("  %2d. %.3f  %s#%d  %s%n", rank++, hit.score(), hit.id(), hit.chunkIndex(), title);
            out.printf("      %s%n", preview(hit.text()));
        }
        if (explain) {
            out.println("Plan:");
            store.explainSearch(collection, vector, k).lines().forEach(l -> out.println("  " + l));
        }
        return hits;
    }

    private static String preview(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > 110 ? flat.substring(0, 110) + "…" : flat;
    }
}
