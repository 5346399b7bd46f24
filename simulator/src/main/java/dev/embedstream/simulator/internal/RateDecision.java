package dev.embedstream.simulator.internal;

/**
 * Outcome of asking a key's limiter to admit one request.
 *
 * @param exceeded        null when admitted, otherwise the bucket that refused
 * @param requested       what the refusing bucket was asked for (1 request, or the request's tokens)
 * @param retryAfterNanos how long until the refusing bucket could admit the same request
 * @param snapshot        bucket state after the decision (after consumption when admitted)
 */
record RateDecision(LimitKind exceeded, long requested, long retryAfterNanos, RateSnapshot snapshot) {

    /** Which of the two per-key budgets refused a request; the names are OpenAI's error types. */
    enum LimitKind {
        REQUESTS("requests", "requests per min (RPM)"),
        TOKENS("tokens", "tokens per min (TPM)");

        final String errorType;
        final String description;

        LimitKind(String errorType, String description) {
            this.errorType = errorType;
            this.description = description;
        }
    }

    static RateDecision admitted(RateSnapshot snapshot) {
        return new RateDecision(null, 0, 0, snapshot);
    }

    boolean isAdmitted() {
        return exceeded == null;
    }

    long limit() {
        return exceeded == LimitKind.REQUESTS ? snapshot.limitRequests() : snapshot.limitTokens();
    }

    long used() {
        return exceeded == LimitKind.REQUESTS
                ? snapshot.limitRequests() - snapshot.remainingRequests()
                : snapshot.limitTokens() - snapshot.remainingTokens();
    }

    /** A request bigger than the whole budget can never succeed, however long the client waits. */
    boolean neverFits() {
        return exceeded != null && requested > limit();
    }
}
