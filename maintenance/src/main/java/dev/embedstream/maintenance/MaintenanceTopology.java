package dev.embedstream.maintenance;

import dev.embedstream.contracts.IndexEvent;
import dev.embedstream.contracts.JsonSerde;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.Topic;
import dev.embedstream.maintenance.internal.PolicyProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The maintenance topology: index events in, folded per index into its {@link IndexState} (a
 * changelogged store), maintenance commands out when the {@link MaintenancePolicy} fires.
 */
public final class MaintenanceTopology {

    /** The state store of index states, keyed like the events. */
    public static final String STATE_STORE = "embedstream-index-state";

    private MaintenanceTopology() {
    }

    public static StreamsBuilder build(StreamsBuilder builder, Topic<String, IndexEvent> events,
                                       Topic<String, MaintenanceCommand> commands, MaintenancePolicy policy) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), JsonSerde.of(IndexState.class)));
        builder.stream(events.name(), Consumed.with(events.key(), events.value()))
                .process(() -> new PolicyProcessor(policy, STATE_STORE), STATE_STORE)
                .to(commands.name(), Produced.with(commands.key(), commands.value()));
        return builder;
    }
}
