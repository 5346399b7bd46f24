package dev.embedstream.maintenance.internal;

import dev.embedstream.contracts.IndexEvent;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.maintenance.IndexState;
import dev.embedstream.maintenance.MaintenancePolicy;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Folds each index event into its index's state and forwards the command the policy asks for. */
public final class PolicyProcessor implements Processor<String, IndexEvent, String, MaintenanceCommand> {

    private final MaintenancePolicy policy;
    private final String storeName;
    private ProcessorContext<String, MaintenanceCommand> context;
    private KeyValueStore<String, IndexState> store;

    public PolicyProcessor(MaintenancePolicy policy, String storeName) {
        this.policy = policy;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, MaintenanceCommand> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, IndexEvent> record) {
        IndexEvent e = record.value();
        if (e == null) {
            return;
        }
        String key = e.key();
        IndexState before = store.get(key);
        if (before == null) {
            before = IndexState.unknown(e.collection(), e.generation(), e.index(), e.table());
        }
        IndexState after = policy.apply(before, e);
        var command = policy.decide(after, e.at());
        if (command.isPresent()) {
            after = policy.asked(after, command.get());
            context.forward(new Record<>(key, command.get(), record.timestamp()));
        }
        store.put(key, after);
    }
}
