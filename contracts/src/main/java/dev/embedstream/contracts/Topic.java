package dev.embedstream.contracts;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** A Kafka topic together with the serdes of its keys and values. */
public record Topic<K, V>(String name, Serde<K> key, Serde<V> value) {

    public Topic {
        Objects.requireNonNull(name, "topic name");
        Objects.requireNonNull(key, "key serde");
        Objects.requireNonNull(value, "value serde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
    }

    /** The same serdes under another name, e.g. a topic prefixed per deployment. */
    public Topic<K, V> withName(String newName) {
        return new Topic<>(newName, key, value);
    }
}
