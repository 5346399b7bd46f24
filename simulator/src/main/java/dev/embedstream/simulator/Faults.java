package dev.embedstream.simulator;

/**
 * Failures the simulator injects, each with its own probability (0..1) per embeddings request.
 *
 * <p>Rates are rolled independently from the simulator's seed and a per-request sequence number that restarts on
 * every {@code setFaults}, so the same seed and the same request order give the same faults. When several fire at
 * once the first of this order wins: rate-limit storm, connection reset, timeout, 500, 503; then slow response; then
 * the answer-corrupting ones, which combine.
 *
 * @param serverErrorRate     answer 500 {@code server_error}
 * @param unavailableRate     answer 503 with {@code retry-after}
 * @param rateLimitStormRate  answer 429 whatever the budget says, without consuming it
 * @param retryAfterMs        the wait announced by injected 429s and 503s
 * @param slowRate            delay the answer by {@code slowLatencyMs}
 * @param slowLatencyMs       added latency of a slow answer
 * @param timeoutRate         hold the connection {@code timeoutMs} without answering, then close it
 * @param timeoutMs           how long a timed-out request is held
 * @param connectionResetRate close the connection without any response
 * @param malformedJsonRate   answer 200 with the JSON body cut in half
 * @param wrongDimensionsRate answer vectors one dimension short
 * @param nanRate             put a NaN into one vector (a JSON string "NaN" with float encoding, a real NaN in base64)
 * @param missingVectorsRate  answer one vector fewer than there were inputs
 * @param failMarker          inputs containing this text are refused with 400 every time; null for none
 */
public record Faults(double serverErrorRate, double unavailableRate, double rateLimitStormRate, long retryAfterMs,
                     double slowRate, long slowLatencyMs, double timeoutRate, long timeoutMs,
                     double connectionResetRate, double malformedJsonRate, double wrongDimensionsRate,
                     double nanRate, double missingVectorsRate, String failMarker) {

    public static final long DEFAULT_RETRY_AFTER_MS = 1_000;
    public static final long DEFAULT_SLOW_LATENCY_MS = 1_000;
    public static final long DEFAULT_TIMEOUT_MS = 30_000;
    /** Longest injected wait: beyond this a test is stuck rather than slow. */
    public static final long MAX_WAIT_MS = 600_000;

    /** No faults: the simulator behaves like a healthy OpenAI endpoint. */
    public static final Faults NONE = new Faults(0, 0, 0, DEFAULT_RETRY_AFTER_MS, 0, DEFAULT_SLOW_LATENCY_MS, 0,
            DEFAULT_TIMEOUT_MS, 0, 0, 0, 0, 0, null);

    public Faults {
        requireRate("serverErrorRate", serverErrorRate);
        requireRate("unavailableRate", unavailableRate);
        requireRate("rateLimitStormRate", rateLimitStormRate);
        requireWait("retryAfterMs", retryAfterMs);
        requireRate("slowRate", slowRate);
        requireWait("slowLatencyMs", slowLatencyMs);
        requireRate("timeoutRate", timeoutRate);
        requireWait("timeoutMs", timeoutMs);
        requireRate("connectionResetRate", connectionResetRate);
        requireRate("malformedJsonRate", malformedJsonRate);
        requireRate("wrongDimensionsRate", wrongDimensionsRate);
        requireRate("nanRate", nanRate);
        requireRate("missingVectorsRate", missingVectorsRate);
        // An empty marker would match every input; JSON callers send "" to mean "none".
        failMarker = failMarker == null || failMarker.isEmpty() ? null : failMarker;
    }

    public static Faults none() {
        return NONE;
    }

    public Faults withServerErrorRate(double rate) {
        return new Faults(rate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withUnavailableRate(double rate) {
        return new Faults(serverErrorRate, rate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withRateLimitStormRate(double rate) {
        return new Faults(serverErrorRate, unavailableRate, rate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withRetryAfterMs(long millis) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, millis, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withSlow(double rate, long latencyMs) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, rate, latencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withTimeout(double rate, long holdMs) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                rate, holdMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withConnectionResetRate(double rate) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, rate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withMalformedJsonRate(double rate) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, rate, wrongDimensionsRate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withWrongDimensionsRate(double rate) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, rate, nanRate,
                missingVectorsRate, failMarker);
    }

    public Faults withNanRate(double rate) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, rate,
                missingVectorsRate, failMarker);
    }

    public Faults withMissingVectorsRate(double rate) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                rate, failMarker);
    }

    public Faults withFailMarker(String marker) {
        return new Faults(serverErrorRate, unavailableRate, rateLimitStormRate, retryAfterMs, slowRate, slowLatencyMs,
                timeoutRate, timeoutMs, connectionResetRate, malformedJsonRate, wrongDimensionsRate, nanRate,
                missingVectorsRate, marker);
    }

    private static void requireRate(String field, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(field + " must be a probability between 0 and 1: " + rate);
        }
    }

    private static void requireWait(String field, long millis) {
        if (millis < 0 || millis > MAX_WAIT_MS) {
            throw new IllegalArgumentException(field + " must be between 0 and " + MAX_WAIT_MS + " ms: " + millis);
        }
    }
}
