package dev.embedstream.ingest;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.Document;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Configuration of the HTTP publish API ({@code /v1/collections/{collection}/documents}).
 *
 * @param token            bearer token every request must carry; required when the server is bound to
 *                         an address other than loopback, optional (null) on loopback
 * @param maxBodyBytes     largest request body; a larger one is refused whole with 413
 * @param maxInFlightBytes request bytes accepted but not yet acknowledged by Kafka, over all requests; a
 *                         request that would exceed it gets 429 with {@code Retry-After}, so a burst
 *                         never grows memory without bound
 * @param retryAfterSeconds what a 429 tells the client to wait
 */
public record HttpIngestConfig(String token, int maxBodyBytes, long maxInFlightBytes, int retryAfterSeconds) {

    public static final String TOKEN = "EMBEDSTREAM_INGEST_TOKEN";
    public static final String MAX_BODY_BYTES = "EMBEDSTREAM_INGEST_MAX_BODY_BYTES";
    public static final String MAX_IN_FLIGHT_BYTES = "EMBEDSTREAM_INGEST_MAX_IN_FLIGHT_BYTES";
    public static final String RETRY_AFTER_SECONDS = "EMBEDSTREAM_INGEST_RETRY_AFTER_SECONDS";

    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
    /** Half the producer's default 32 MiB buffer, so a send never blocks the request thread on memory. */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;
    public static final int MIN_TOKEN_LENGTH = 16;

    public HttpIngestConfig {
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException(TOKEN, "must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        ConfigLookup.requireRange(MAX_BODY_BYTES, maxBodyBytes, Document.MAX_TEXT_BYTES + 1024, Integer.MAX_VALUE);
        if (maxInFlightBytes < maxBodyBytes) {
            throw new ConfigException(MAX_IN_FLIGHT_BYTES, "is " + maxInFlightBytes + ", below "
                    + MAX_BODY_BYTES + " (" + maxBodyBytes + "): the largest request could never be accepted");
        }
        ConfigLookup.requireRange(RETRY_AFTER_SECONDS, retryAfterSeconds, 1, 3600);
    }

    public static HttpIngestConfig from(ConfigLookup c) {
        String raw = c.raw(MAX_IN_FLIGHT_BYTES);
        long inFlight;
        try {
            inFlight = raw == null ? DEFAULT_MAX_IN_FLIGHT_BYTES : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(MAX_IN_FLIGHT_BYTES, "'" + raw + "' is not a whole number of bytes");
        }
        return new HttpIngestConfig(c.raw(TOKEN), c.integer(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES), inFlight,
                c.integer(RETRY_AFTER_SECONDS, DEFAULT_RETRY_AFTER_SECONDS));
    }

    /** Refuses to serve without a token on an address other hosts can reach. */
    public void requireTokenIfExposed(String host, String hostKey) {
        if (token == null && !isLoopback(host)) {
            throw new ConfigException(TOKEN, "is required: the publish API would listen on " + host + " (" + hostKey
                    + "), reachable from other hosts; set a token of at least " + MIN_TOKEN_LENGTH
                    + " characters, or bind to 127.0.0.1");
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
