package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.ModelSpec;
import dev.embedstream.app.internal.Context;
import dev.embedstream.app.internal.CoverageWait;
import dev.embedstream.app.internal.ReembedJob;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedstream reembed NAME --model M}: a model change with zero search downtime. */
@Command(name = "reembed", mixinStandardHelpOptions = true,
        description = "Re-embed a collection with another model beside the current one, keep both current while"
                + " documents change, and cut search over atomically once coverage reaches the threshold. Search reads"
                + " the old model until then. Re-running resumes a re-embed under way.")
public final class ReembedCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COLLECTION")
    String collection;

    @Option(names = "--model", description = "new model, e.g. all-minilm-l6-v2 or openai:text-embedding-3-small")
    String model;

    @Option(names = "--dimensions", defaultValue = "0", description = "vector dimensions, for models that can shorten them")
    int dimensions;

    @Option(names = "--threshold", defaultValue = "100", description = "coverage in percent at which search cuts over (default ${DEFAULT-VALUE})")
    double thresholdPercent;

    @Option(names = "--drop-old", description = "drop the old model's tables right after the cut-over")
    boolean dropOld;

    @Option(names = "--drop-retired", description = "only drop generations retired by earlier re-embeds")
    boolean dropRetired;

    @Option(names = "--abort", description = "abandon a re-embed under way (search never read it)")
    boolean abort;

    @Option(names = "--hnsw-m", description = "HNSW m of the new index (default: the current one's)")
    Integer hnswM;

    @Option(names = "--hnsw-ef-construction", description = "HNSW ef_construction of the new index (default: the current one's)")
    Integer efConstruction;

    @Option(names = "--stall-timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "give up when coverage stands still this long, e.g. 90s, 5m (default ${DEFAULT-VALUE})")
    Duration stall;

    @Override
    public Integer call() {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        if (abort || dropRetired) {
            if (model != null) {
                throw new InvalidInputException("--abort and --drop-retired take no --model");
            }
            try (var store = dev.embedstream.writer.VectorStore.open(config.writer())) {
                var job = new ReembedJob(Context.ofStore(store), config.embedder(), System.out, Clock.systemUTC());
                boolean changed = abort ? job.abort(collection) : job.dropRetired(collection) > 0;
                if (!changed) {
                    System.out.println(abort ? "No re-embed under way for " + collection + "." : "No retired generations of " + collection + ".");
                }
            }
            return 0;
        }
        if (model == null) {
            throw new InvalidInputException("--model is required (or --abort, --drop-retired)");
        }
        ModelSpec spec = ModelSpec.parse(model, dimensions);
        try (Context context = Context.open(config)) {
            var active = context.store().collection(collection)
                    .orElseThrow(() -> new InvalidInputException("unknown collection '" + collection + "'")).active();
            int m = hnswM != null ? hnswM : active.hnswM();
            int ef = efConstruction != null ? efConstruction : active.hnswEfConstruction();
            CollectionCommand.Create.requireHnsw(m, ef);
            new ReembedJob(context, config.embedder(), System.out, Clock.systemUTC()).run(collection,
                    new ReembedJob.Options(spec, thresholdPercent / 100.0, dropOld, m, ef, active.chunkOverlap(),
                            500, stall == null ? CoverageWait.DEFAULT_STALL : stall));
        }
        return 0;
    }
}
