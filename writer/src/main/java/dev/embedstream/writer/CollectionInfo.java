package dev.embedstream.writer;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.TableSource;
import java.util.List;
import java.util.Optional;

/**
 * A collection as the catalog knows it: where its documents come from and its generations.
 *
 * @param source the table its rows come from, or null for documents published to the topic
 */
public record CollectionInfo(String name, TableSource source, int activeGeneration, List<Generation> generations) {

    public CollectionInfo {
        generations = List.copyOf(generations);
    }

    /** The generation search reads. */
    public Generation active() {
        return generations.stream().filter(g -> g.number() == activeGeneration).findFirst()
                .orElseThrow(() -> new IllegalStateException("collection " + name + " has no generation " + activeGeneration));
    }

    /** The active model. */
    public ModelId model() {
        return active().model();
    }

    /** Generations the embedder keeps current: the active one and one being built. */
    public List<Generation> live() {
        return generations.stream().filter(g -> g.state().isLive()).toList();
    }

    public Optional<Generation> building() {
        return generations.stream().filter(g -> g.state() == Generation.State.BUILDING).findFirst();
    }

    /** Generations whose tables exist. */
    public List<Generation> withTables() {
        return generations.stream().filter(g -> g.state().hasTables()).toList();
    }

    /** The newest generation of {@code model}, dropped ones included. */
    public Optional<Generation> forModel(ModelId model) {
        return generations.stream().filter(g -> g.model().equals(model))
                .reduce((a, b) -> a.number() > b.number() ? a : b);
    }

    public Generation generation(int number) {
        return generations.stream().filter(g -> g.number() == number).findFirst()
                .orElseThrow(() -> new InvalidInputException("collection '" + name + "' has no generation " + number));
    }

    public int nextGeneration() {
        return generations.stream().mapToInt(Generation::number).max().orElse(0) + 1;
    }

    public boolean isTableSourced() {
        return source != null;
    }
}
