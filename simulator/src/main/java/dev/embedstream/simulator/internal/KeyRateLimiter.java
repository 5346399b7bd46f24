package dev.embedstream.simulator.internal;

import dev.embedstream.simulator.internal.RateDecision.LimitKind;

/**
 * One API key's RPM and TPM buckets, checked and consumed together so concurrent requests can never both pass a check
 * that only one of them fits. A refused request consumes nothing.
 */
final class KeyRateLimiter {

    private final TokenBucket requests;
    private final TokenBucket tokens;

    KeyRateLimiter(long rpm, long tpm, long nowNanos) {
        this.requests = new TokenBucket(rpm, nowNanos);
        this.tokens = new TokenBucket(tpm, nowNanos);
    }

    synchronized RateDecision tryAcquire(long requestTokens, long nowNanos) {
        refill(nowNanos);
        if (!requests.canTake(1)) {
            return new RateDecision(LimitKind.REQUESTS, 1, requests.nanosUntilAvailable(1), snapshot());
        }
        if (!tokens.canTake(requestTokens)) {
            return new RateDecision(LimitKind.TOKENS, requestTokens, tokens.nanosUntilAvailable(requestTokens),
                    snapshot());
        }
        requests.take(1);
        tokens.take(requestTokens);
        return RateDecision.admitted(snapshot());
    }

    synchronized RateSnapshot peek(long nowNanos) {
        refill(nowNanos);
        return snapshot();
    }

    private void refill(long nowNanos) {
        requests.refill(nowNanos);
        tokens.refill(nowNanos);
    }

    private RateSnapshot snapshot() {
        return new RateSnapshot(requests.limit(), requests.remaining(), requests.nanosUntilFull(),
                tokens.limit(), tokens.remaining(), tokens.nanosUntilFull());
    }
}
