package dev.embedstream.app.internal;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.ModelSpec;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.embedder.LocalModels;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.embedder.OpenAiProvider;
import dev.embedstream.embedder.ProviderConfigurationException;
import dev.embedstream.writer.Generation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedding providers of one process, opened on first use and shared: the configured default,
 * and one per model a collection's generation names (a re-embed's target). OpenAI-compatible models
 * use the endpoint, key and limits of the {@code EMBEDSTREAM_OPENAI_*} settings.
 */
public final class Providers implements AutoCloseable {

    private final AppConfig config;
    private final Map<String, EmbeddingProvider> open = new LinkedHashMap<>();
    private EmbeddingProvider defaultProvider;

    public Providers(AppConfig config) {
        this.config = config;
    }

    /** The provider of {@code EMBEDSTREAM_EMBEDDER_PROVIDER}: new collections are embedded with it. */
    public synchronized EmbeddingProvider defaultProvider() {
        if (defaultProvider == null) {
            defaultProvider = remember(openDefault());
        }
        return defaultProvider;
    }

    /** Its provider kind, as the catalog records it. */
    public String defaultKind() {
        return config.embedder().provider().equals(EmbedderConfig.PROVIDER_OPENAI)
                ? Generation.PROVIDER_OPENAI : Generation.PROVIDER_LOCAL;
    }

    /** The provider of a generation's model; refuses one whose settings would make other vectors. */
    public synchronized EmbeddingProvider forModel(String provider, ModelId model) {
        EmbeddingProvider p = open.get(key(provider, model));
        if (p == null) {
            p = forSpec(new ModelSpec(provider, model.name(),
                    provider.equals(Generation.PROVIDER_LOCAL) ? model.variant() : "", model.dimensions()));
        }
        if (!p.model().equals(model)) {
            throw new ProviderConfigurationException("vectors of " + model.key() + " (window " + model.maxTokens()
                    + ") are wanted, but the " + provider + " provider as configured makes " + p.model().key()
                    + " (window " + p.model().maxTokens() + ")", null);
        }
        return p;
    }

    /** The provider for a model as a person named it. */
    public synchronized EmbeddingProvider forSpec(ModelSpec spec) {
        if (spec.provider().equals(Generation.PROVIDER_LOCAL)) {
            return local(spec);
        }
        for (var e : open.entrySet()) {
            ModelId m = e.getValue().model();
            if (e.getKey().startsWith(spec.provider() + ":") && m.name().equals(spec.name())
                    && (spec.dimensions() == 0 || spec.dimensions() == m.dimensions())) {
                return e.getValue();
            }
        }
        OpenAiConfig base = config.openai().orElseThrow(() -> new dev.embedstream.contracts.ConfigException(
                OpenAiConfig.API_KEY, "model " + spec.name() + " is served by an OpenAI-compatible API: set it (and "
                + OpenAiConfig.BASE_URL + " for a server other than OpenAI's)"));
        return remember(new OpenAiProvider(base.withModel(spec.name(), spec.dimensions() == 0
                ? (spec.name().equals(base.model()) ? base.effectiveDimensions() : 0) : spec.dimensions())));
    }

    /** A bundled model variant, opened once: the configured one when the spec names none. */
    private EmbeddingProvider local(ModelSpec spec) {
        String variant = spec.variant().isEmpty() ? config.embedder().localVariant() : spec.variant();
        ModelId model = LocalModels.model(spec.name(), variant);
        EmbeddingProvider p = open.get(key(Generation.PROVIDER_LOCAL, model));
        if (p != null) {
            return p;
        }
        if (!isOpenAiDefault() && model.variant().equals(config.embedder().localVariant())) {
            return defaultProvider();
        }
        return remember(LocalModels.open(model, config.embedder().localModelOptions()));
    }

    private boolean isOpenAiDefault() {
        return config.embedder().provider().equals(EmbedderConfig.PROVIDER_OPENAI);
    }

    private EmbeddingProvider openDefault() {
        if (isOpenAiDefault()) {
            return new OpenAiProvider(config.openai().orElseThrow());
        }
        return LocalModels.open(LocalModels.model(LocalModels.ALL_MINILM_L6_V2_NAME, config.embedder().localVariant()),
                config.embedder().localModelOptions());
    }

    private EmbeddingProvider remember(EmbeddingProvider p) {
        open.putIfAbsent(key(Generation.providerOf(p.model()), p.model()), p);
        return p;
    }

    private static String key(String provider, ModelId model) {
        return provider + ":" + model.key() + "#" + model.maxTokens();
    }

    @Override
    public synchronized void close() {
        open.values().forEach(EmbeddingProvider::close);
        open.clear();
    }
}
