package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.ModelSpec;
import dev.embedstream.app.internal.Providers;
import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.ingest.TableBackfill;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedstream collection create|list|drop}: collections and where their documents come from. */
@Command(name = "collection", mixinStandardHelpOptions = true,
        subcommands = {CollectionCommand.Create.class, CollectionCommand.ListCollections.class, CollectionCommand.Drop.class},
        description = "Create a collection from an existing table, list collections, or drop one.")
public final class CollectionCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Registers a table as a collection's source, with its model and HNSW parameters. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a collection for documents published to the topic, or (with --table) make the rows of an"
                    + " existing table a collection: its text is --text (a template such as '{title}\\n\\n{body}') or"
                    + " --columns joined by a blank line; then run `embedstream backfill NAME`.")
    static final class Create implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "collection name: a-z, 0-9, _ (up to 40)")
        String name;

        @Option(names = "--table", description = "source table, [schema.]table (default schema public); none: documents come from the topic")
        String table;

        @Option(names = "--key", description = "unique key column of --table; its text is the document id")
        String key;

        @Option(names = "--text", description = "text template, {column} placeholders; \\n and \\t are escapes")
        String template;

        @Option(names = "--columns", split = ",", description = "text columns, joined by a blank line")
        List<String> columns;

        @Option(names = "--updated-at", description = "timestamp column bumped on every change (enables backfill --watch)")
        String updatedAt;

        @Option(names = "--model", description = "embedding model (default: the configured provider's)")
        String model;

        @Option(names = "--dimensions", defaultValue = "0", description = "vector dimensions for models that can shorten them")
        int dimensions;

        @Option(names = "--hnsw-m", description = "HNSW m (default EMBEDSTREAM_HNSW_M or 16)")
        Integer hnswM;

        @Option(names = "--hnsw-ef-construction", description = "HNSW ef_construction (default EMBEDSTREAM_HNSW_EF_CONSTRUCTION or 64)")
        Integer efConstruction;

        @Option(names = "--chunk-overlap", description = "tokens shared by consecutive chunks of long texts (default 32)")
        Integer overlap;

        @Override
        public Integer call() {
            CollectionName.requireValid(name);
            TableSource source = source();
            AppConfig config = AppConfig.from(ConfigLookup.env());
            try (VectorStore store = VectorStore.open(config.writer());
                 Providers providers = new Providers(config)) {
                if (source != null) {
                    TableBackfill.validate(store.dataSource(), source);
                }
                ModelSpec spec = model == null ? null : ModelSpec.parse(model, dimensions);
                ModelId modelId = spec == null ? providers.defaultProvider().model() : providers.forSpec(spec).model();
                String provider = spec == null ? providers.defaultKind() : spec.provider();
                int m = hnswM != null ? hnswM : config.writer().hnswM();
                int ef = efConstruction != null ? efConstruction : config.writer().hnswEfConstruction();
                int ov = overlap != null ? overlap : config.embedder().chunkOverlapTokens();
                dev.embedstream.contracts.Chunking.key(ov);
                requireHnsw(m, ef);
                CollectionInfo info = store.ensureCollection(name, source, provider, modelId, ov, m, ef);
                if (!java.util.Objects.equals(source, info.source()) || !info.model().equals(modelId)) {
                    throw new InvalidInputException("collection '" + name + "' already exists with "
                            + (info.source() == null ? "documents from the topic" : "source " + info.source().qualifiedTable())
                            + " and model " + info.model().key() + "; drop it first, or use `embedstream reembed` to change the model");
                }
                if (source == null) {
                    System.out.printf("Collection %s: documents from the topic, model %s, HNSW m=%d ef_construction=%d.%n",
                            name, modelId.key(), info.active().hnswM(), info.active().hnswEfConstruction());
                } else {
                    System.out.printf("Collection %s: rows of %s, text %s, model %s, HNSW m=%d ef_construction=%d.%n"
                                    + "Next: embedstream backfill %s (it loads the rows, then builds the HNSW index)%n",
                            name, source.qualifiedTable(), source.template(),
                            modelId.key(), info.active().hnswM(), info.active().hnswEfConstruction(), name);
                }
            }
            return 0;
        }

        static void requireHnsw(int m, int ef) {
            if (m < 2 || m > 100) {
                throw new InvalidInputException("--hnsw-m must be in 2..100, got " + m);
            }
            if (ef < 2 * m || ef > 1000) {
                throw new InvalidInputException("--hnsw-ef-construction must be in 2 x m (" + 2 * m + ")..1000, got " + ef);
            }
        }

        private TableSource source() {
            if (table == null) {
                if (key != null || template != null || columns != null || updatedAt != null) {
                    throw new InvalidInputException("--key, --text, --columns and --updated-at describe a --table; give one");
                }
                return null;
            }
            if (key == null) {
                throw new InvalidInputException("--table needs --key, its unique key column");
            }
            if ((template == null) == (columns == null)) {
                throw new InvalidInputException("give exactly one of --text and --columns");
            }
            String[] parts = table.split("\\.", -1);
            if (parts.length > 2) {
                throw new InvalidInputException("--table must be table or schema.table, got '" + table + "'");
            }
            String schema = parts.length == 2 ? parts[0] : "public";
            String tbl = parts[parts.length - 1];
            return new TableSource(schema, tbl, key, template != null ? template : TableSource.templateOf(columns), updatedAt);
        }
    }

    /** Prints every collection with its source and generations. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List collections, sources and generations.")
    static final class ListCollections implements Callable<Integer> {

        @Override
        public Integer call() {
            AppConfig config = AppConfig.from(ConfigLookup.env());
            try (VectorStore store = VectorStore.open(config.writer())) {
                List<String> names = store.collections();
                if (names.isEmpty()) {
                    System.out.println("No collections in schema " + config.writer().schema() + ".");
                }
                store.collections(names).values().forEach(CollectionCommand::print);
            }
            return 0;
        }
    }

    static void print(CollectionInfo info) {
        System.out.printf("%s  (%s)%n", info.name(), info.source() == null ? "documents from the topic"
                : "rows of " + info.source().qualifiedTable() + ", key " + info.source().keyColumn() + ", text "
                + info.source().template() + (info.source().updatedAtColumn() == null ? ""
                : ", updated_at " + info.source().updatedAtColumn()));
        for (Generation g : info.generations()) {
            System.out.printf("  generation %d  %-8s %s  overlap %d  HNSW m=%d ef_construction=%d%s%n", g.number(),
                    g.state().name().toLowerCase(Locale.ROOT), g.model().key(), g.chunkOverlap(), g.hnswM(),
                    g.hnswEfConstruction(), g.indexBuilt() ? "" : "  (index not built yet)");
        }
    }

    /** Drops a collection with all its tables. */
    @Command(name = "drop", mixinStandardHelpOptions = true, description = "Drop a collection and all its vectors.")
    static final class Drop implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            AppConfig config = AppConfig.from(ConfigLookup.env());
            try (VectorStore store = VectorStore.open(config.writer())) {
                if (!store.dropCollection(CollectionName.requireValid(name))) {
                    throw new InvalidInputException("unknown collection '" + name + "'");
                }
                System.out.println("Dropped collection " + name + ".");
            }
            return 0;
        }
    }
}
