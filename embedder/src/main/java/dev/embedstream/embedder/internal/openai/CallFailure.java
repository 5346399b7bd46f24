package dev.embedstream.embedder.internal.openai;

import java.time.Duration;

/** Why one provider request failed, classified once (see {@link FailureClassifier}). */
public final class CallFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** What the failure means for the request. */
    public enum Kind {
        /** 429, or 503 with Retry-After: wait, never a failure. */
        RATE_LIMITED,
        /** 5xx, timeout, connection reset: retry with backoff. */
        TRANSIENT,
        /** 400/422: this request will never succeed as it is; split it to find the bad input. */
        BAD_REQUEST,
        /** 2xx with a broken body (malformed JSON, wrong count or width, NaN): retry, then split. */
        BAD_REPLY,
        /** 401/403/404: the configuration is wrong; stop. */
        FATAL
    }

    private final Kind kind;
    private final transient RateLimitHeaders headers;

    public CallFailure(Kind kind, String message, RateLimitHeaders headers, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.headers = headers == null ? RateLimitHeaders.NONE : headers;
    }

    public Kind kind() {
        return kind;
    }

    public RateLimitHeaders headers() {
        return headers;
    }

    /** A failure of the connection rather than an answer from the provider. */
    public boolean isNetwork() {
        return kind == Kind.TRANSIENT && getMessage() != null && getMessage().startsWith(FailureClassifier.NETWORK);
    }

    /**
     * A pooled connection the server had already closed: the request never reached it (a write
     * failed), so sending it again at once is safe and charges nothing twice.
     */
    public boolean isStaleConnection() {
        String m = getMessage();
        return isNetwork() && m != null && (m.contains("Broken pipe") || m.contains("Connection reset")
                || m.contains("unexpected end of stream"));
    }

    public Duration retryAfter() {
        return headers.retryAfter();
    }
}
