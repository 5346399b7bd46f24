package dev.embedstream.app.internal;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.embedder.ModelRouter;
import dev.embedstream.embedder.ProviderConfigurationException;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each collection to the models of its live generations, read from the catalog a batch at a
 * time: a re-embed started anywhere makes the next batch embed with both models. A collection seen
 * for the first time is created for the default provider, so its chunking is on record.
 */
public final class CatalogRouter implements ModelRouter {

    private static final Logger log = LoggerFactory.getLogger(CatalogRouter.class);
    private static final Duration WARN_EVERY = Duration.ofMinutes(5);

    private final VectorStore store;
    private final Providers providers;
    private final int defaultOverlap;
    private final Predicate<Generation> wanted;
    private final boolean createMissing;
    private final boolean refuseMissing;
    private final Map<String, Long> lastWarned = new java.util.concurrent.ConcurrentHashMap<>();

    private CatalogRouter(VectorStore store, Providers providers, int defaultOverlap, Predicate<Generation> wanted,
                          boolean createMissing, boolean refuseMissing) {
        this.store = store;
        this.providers = providers;
        this.defaultOverlap = defaultOverlap;
        this.wanted = wanted;
        this.createMissing = createMissing;
        this.refuseMissing = refuseMissing;
    }

    /**
     * The pipeline's router: every live generation of every collection. A collection the catalog does
     * not know is created, or, when {@code createCollections} is off, its documents are dead-lettered.
     */
    public static CatalogRouter live(VectorStore store, Providers providers, int defaultOverlap,
                                     boolean createCollections) {
        return new CatalogRouter(store, providers, defaultOverlap, g -> true, createCollections, !createCollections);
    }

    /** A re-embed's router: only the named building generation; every other collection is passed over. */
    public static CatalogRouter building(VectorStore store, Providers providers, String collection, int generation) {
        return new CatalogRouter(store, providers, 0,
                g -> g.collection().equals(collection) && g.number() == generation, false, false);
    }

    @Override
    public Map<String, List<Target>> route(Collection<String> collections) {
        return route(collections, collections);
    }

    /** A collection whose batch share is only deletes is not created: there is nothing of it to delete. */
    @Override
    public Map<String, List<Target>> route(Collection<String> collections, Collection<String> withDocuments) {
        Map<String, CollectionInfo> infos;
        try {
            infos = store.collections(collections);
        } catch (WriterException e) {
            throw new RoutingUnavailableException("cannot read the collection catalog: " + e.getMessage(), e);
        }
        Map<String, List<Target>> result = new LinkedHashMap<>();
        for (String name : collections) {
            CollectionInfo info = infos.get(name);
            if (info == null && createMissing && withDocuments.contains(name)) {
                info = create(name);
            }
            if (info == null && refuseMissing && withDocuments.contains(name)) {
                result.put(name, List.of(unknown(name)));
                continue;
            }
            result.put(name, info == null ? List.of() : targets(info));
        }
        return result;
    }

    private List<Target> targets(CollectionInfo info) {
        List<Target> targets = new ArrayList<>(2);
        for (Generation g : info.live()) {
            if (wanted.test(g)) {
                targets.add(new Target(provider(g), g.chunkOverlap()));
            }
        }
        return targets;
    }

    /**
     * The generation's provider; if this process cannot open it (say, a re-embed to an OpenAI model
     * started from a shell that has the key, while this pipeline has none), its documents are
     * dead-lettered with the reason instead of stopping every collection.
     */
    private EmbeddingProvider provider(Generation g) {
        try {
            return providers.forModel(g.provider(), g.model());
        } catch (ProviderConfigurationException | ConfigException e) {
            String reason = "this process cannot embed with " + g.provider() + " model " + g.model().key()
                    + " of collection " + g.collection() + " (generation " + g.number() + "): " + e.getMessage();
            warnThrottled(g.model().key(), reason);
            return new UnavailableProvider(g.model(), reason);
        }
    }

    private Target unknown(String name) {
        return new Target(new UnavailableProvider(providers.defaultProvider().model(), "unknown collection '" + name
                + "': create it with `embedstream collection create " + name + "`, or set "
                + dev.embedstream.embedder.EmbedderConfig.CREATE_COLLECTIONS + "=true"), defaultOverlap);
    }

    private void warnThrottled(String model, String reason) {
        long now = System.nanoTime();
        Long last = lastWarned.get(model);
        if (last == null || now - last > WARN_EVERY.toNanos()) {
            lastWarned.put(model, now);
            log.error("{}; its documents go to the dead-letter topic until the provider is configured here", reason);
        }
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
