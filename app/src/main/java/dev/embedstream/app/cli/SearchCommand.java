package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.app.internal.Providers;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.writer.Generation;
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

    @Option(names = "--ef-search", defaultValue = "0",
            description = "HNSW ef_search (default: the value `embedstream tune` stored, else 40)")
    int efSearch;

    @Option(names = "--explain", description = "also print the query plan")
    boolean explain;

    @Override
    public Integer call() {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        try (VectorStore store = VectorStore.open(config.writer());
             Providers providers = new Providers(config)) {
            search(store, providers, collection, query, k, efSearch, explain, System.out);
        }
        return 0;
    }

    /** Embeds the query with the model search reads now, searches, prints the hits (and the plan when asked). */
    public static List<SearchHit> search(VectorStore store, Providers providers, String collection, String query,
                                         int k, int efSearch, boolean explain, PrintStream out) {
        ModelId[] used = new ModelId[1];
        List<SearchHit> hits = store.search(collection, (model, text) -> {
            used[0] = model;
            return embedQuery(providers, model, text);
        }, query, k, efSearch);
        out.printf("Search \"%s\" in %s (k=%d, ef_search=%s, model %s):%n", query, collection, k,
                efSearch > 0 ? Integer.toString(efSearch) : "tuned or 40",
                used[0].key());
        int rank = 1;
        for (SearchHit hit : hits) {
            Object title = hit.metadata().getOrDefault("title", "");
            out.printf("  %2d. %.3f  %s#%d  %s%n", rank++, hit.score(), hit.id(), hit.chunkIndex(), title);
            out.printf("      %s%n", preview(hit.text()));
        }
        if (explain) {
            out.println("Plan:");
            store.explainSearch(collection, embedQuery(providers, used[0], query), k).lines()
                    .forEach(l -> out.println("  " + l));
        }
        return hits;
    }

    /** The query's vector by {@code model}; a query longer than the model's window is refused. */
    public static float[] embedQuery(Providers providers, ModelId model, String query) {
        EmbeddingProvider p = providers.forModel(Generation.providerOf(model), model);
        int tokens = p.countTokens(query);
        if (tokens > model.maxTokens()) {
            throw new InvalidInputException("the query is " + tokens + " tokens; the model's window is " + model.maxTokens());
        }
        return p.embed(List.of(query)).get(0);
    }

    private static String preview(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > 110 ? flat.substring(0, 110) + "…" : flat;
    }
}
