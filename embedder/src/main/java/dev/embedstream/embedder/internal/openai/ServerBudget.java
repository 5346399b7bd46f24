package dev.embedstream.embedder.internal.openai;

/**
 * The provider's own bucket for one limit (requests or tokens), as its {@code x-ratelimit-*}
 * headers report it: refilled continuously at limit per minute, lowered by every reservation and
 * by what the headers say others (other instances on the same account) have used. Reserving more
 * than is left returns how long to wait, so instances sharing one account converge instead of
 * stampeding into 429s. Times are in nanoseconds from an injected source.
 */
public final class ServerBudget {

    private static final double NANOS_PER_MINUTE = 60e9;

    private double limit;
    private double available;
    private long updatedNanos;
    private long inFlight;

    public ServerBudget(double limit, long nowNanos) {
        this.limit = limit;
        this.available = limit;
        this.updatedNanos = nowNanos;
    }

    /** Takes {@code amount} and returns the nanoseconds to wait before using it (0: go now). */
    public synchronized long reserve(long amount, long nowNanos) {
        refill(nowNanos);
        available -= amount;
        inFlight += amount;
        return available >= 0 ? 0 : (long) (-available / rate());
    }

    /** A reply arrived: {@code amount} is no longer in flight; headers (when present) correct the estimate. */
    public synchronized void settle(long amount, Long headerLimit, Long headerRemaining, long nowNanos) {
        inFlight = Math.max(0, inFlight - amount);
        refill(nowNanos);
        if (headerLimit != null && headerLimit > 0) {
            limit = headerLimit;
        }
        if (headerRemaining != null) {
            // The header counts everyone's use up to this reply, but not our requests still in flight.
            available = Math.min(available, headerRemaining - inFlight);
        }
    }

    /** A 429 said nothing is left: start from empty. */
    public synchronized void exhausted(long nowNanos) {
        refill(nowNanos);
        available = Math.min(available, 0);
    }

    public synchronized double available(long nowNanos) {
        refill(nowNanos);
        return available;
    }

    private void refill(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - updatedNanos);
        available = Math.min(limit, available + elapsed * rate());
        updatedNanos = nowNanos;
    }

    private double rate() {
        return limit / NANOS_PER_MINUTE;
    }
}
