package dev.embedstream.simulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** The state of one key's two buckets, as reported in the six {@code x-ratelimit-*} headers. */
record RateSnapshot(long limitRequests, long remainingRequests, long resetRequestsNanos,
                    long limitTokens, long remainingTokens, long resetTokensNanos) {

    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-limit-requests", Long.toString(limitRequests));
        headers.put("x-ratelimit-limit-tokens", Long.toString(limitTokens));
        headers.put("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
        headers.put("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
        headers.put("x-ratelimit-reset-requests", OpenAiDurations.format(resetRequestsNanos));
        headers.put("x-ratelimit-reset-tokens", OpenAiDurations.format(resetTokensNanos));
        return headers;
    }
}
