package dev.embedstream.client.internal;

import dev.embedstream.client.ClientConfig;
import java.util.HashMap;
import java.util.Map;

/** The producer properties of a client: what the documents topic needs, then the application's extras. */
final class ProducerSettings {

    /** The documents topic is created with {@code max.message.bytes} 2 MiB (see {@code TopicSetup}). */
    static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;
    /** Large enough that a burst of documents travels in few requests; the linger bounds the wait. */
    static final int BATCH_BYTES = 256 * 1024;
    static final String COMPRESSION = "lz4";

    private ProducerSettings() {
    }

    /** Properties for a producer of the given role, e.g. {@code client-1}. */
    static Map<String, Object> of(ClientConfig config, String role) {
        Map<String, Object> p = new HashMap<>(config.kafkaSettings().clientProperties(role));
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("compression.type", COMPRESSION);
        p.put("batch.size", BATCH_BYTES);
        p.put("linger.ms", (int) config.linger().toMillis());
        p.put("max.request.size", MAX_REQUEST_BYTES);
        p.put("request.timeout.ms", (int) ClientConfig.REQUEST_TIMEOUT.toMillis());
        p.put("delivery.timeout.ms", (int) config.deliveryTimeout().toMillis());
        p.put("max.block.ms", config.maxBlock().toMillis());
        // Reserved keys were refused by ClientConfig, so these only add security settings or tuning.
        p.putAll(config.kafkaProperties());
        return p;
    }
}
