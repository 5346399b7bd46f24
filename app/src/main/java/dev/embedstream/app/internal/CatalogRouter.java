package dev.embedstream.app.internal;

import dev.embedstream.embedder.ModelRouter;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Routes each collection to the models of its live generations, read from the catalog a batch at a
 * time: a re-embed started anywhere makes the next batch embed with both models. A collection seen
 * for the first time is created for the default provider, so its chunking is on record.
 */
public final class CatalogRouter implements ModelRouter {

    private final VectorStore store;
    private final Providers providers;
    private final int defaultOverlap;
    private final Predicate<Generation> wanted;
    private final boolean createMissing;

    private CatalogRouter(VectorStore store, Providers providers, int defaultOverlap, Predicate<Generation> wanted,
                          boolean createMissing) {
        this.store = store;
        this.providers = providers;
        this.defaultOverlap = defaultOverlap;
        this.wanted = wanted;
        this.createMissing = createMissing;
    }

    /** The pipeline's router: every live generation of every collection. */
    public static CatalogRouter live(VectorStore store, Providers providers, int defaultOverlap) {
        return new CatalogRouter(store, providers, defaultOverlap, g -> true, true);
    }

    /** A re-embed's router: only the named building generation; every other collection is passed over. */
    public static CatalogRouter building(VectorStore store, Providers providers, String collection, int generation) {
        return new CatalogRouter(store, providers, 0,
                g -> g.collection().equals(collection) && g.number() == generation, false);
    }

    @Override
    public Map<String, List<Target>> route(Collection<String> collections) {
        Map<String, CollectionInfo> infos;
        try {
            infos = store.collections(collections);
        } catch (WriterException e) {
            throw new RoutingUnavailableException("cannot read the collection catalog: " + e.getMessage(), e);
        }
        Map<String, List<Target>> result = new LinkedHashMap<>();
        for (String name : collections) {
            CollectionInfo info = infos.get(name);
            if (info == null && createMissing) {
                info = create(name);
            }
            result.put(name, info == null ? List.of() : targets(info));
        }
        return result;
    }

    private List<Target> targets(CollectionInfo info) {
        List<Target> targets = new ArrayList<>(2);
        for (Generation g : info.live()) {
            if (wanted.test(g)) {
                targets.add(new Target(providers.forModel(g.provider(), g.model()), g.chunkOverlap()));
            }
        }
        return targets;
    }

    private CollectionInfo create(String name) {
        var provider = providers.defaultProvider();
        try {
            return store.ensureCollection(name, null, providers.defaultKind(), provider.model(), defaultOverlap,
                    store.config().hnswM(), store.config().hnswEfConstruction());
        } catch (WriterException e) {
            throw new RoutingUnavailableException("cannot create collection " + name + ": " + e.getMessage(), e);
        }
    }
}
