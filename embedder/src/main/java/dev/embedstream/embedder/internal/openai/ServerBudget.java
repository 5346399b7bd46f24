package dev.embedstream.embedder.internal.openai;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The provider's own bucket for one limit (requests or tokens), followed through its
 * {@code x-ratelimit-*} headers, so several instances on one account share it instead of
 * stampeding into 429s.
 *
 * <p>Each reply says what remained when the provider served that request. From the newest reply
 * the bucket now holds that value, plus what we expect to be ours of the refill since, minus what
 * we sent after that request. Our share of the refill is found the way TCP finds its share of a
 * link (additive increase, multiplicative decrease): it shrinks when a reply shows the bucket
 * nearly empty or a 429 arrives, and grows while the bucket holds more. Every instance sees the
 * same bucket, so all of them back off together and converge on fair shares that add up to the
 * limit, keeping a small reserve in the bucket so a request rarely finds it empty. Times are
 * nanoseconds from an injected source, so tests need no clock.
 */
public final class ServerBudget {

    private static final double NANOS_PER_MINUTE = 60e9;
    /** Below this share of the limit left, the bucket is nearly empty: slow down. */
    private static final double LOW_WATER = 0.01;
    /** Slow-down factors on a nearly empty bucket and on a 429. */
    private static final double DECREASE = 0.9;
    private static final double DECREASE_ON_429 = 0.7;
    /** Growth of our rate per second, as a share of the limit, while the bucket holds more. */
    private static final double INCREASE_PER_SECOND = 0.05;
    /** One decrease per this interval, so a burst of replies is one signal. */
    private static final long DECREASE_INTERVAL_NANOS = 300_000_000L;
    /**
     * Share of the limit left untouched in the bucket, so another instance that decided to send at
     * the same moment still finds room instead of a 429.
     */
    private static final double RESERVE = 0.02;
    /** Smallest share we keep, so we keep hearing from the provider. */
    private static final double MIN_SHARE = 0.02;

    private record Reservation(long seq, long amount) {
    }

    private final Deque<Reservation> sinceReply = new ArrayDeque<>();
    private double limit;
    private double remainingAtReply;
    private long replyNanos;
    private long replySeq = -1;
    private long nextSeq;
    private double ourRatePerNano;
    private long adjustedNanos;
    private long decreasedNanos;

    public ServerBudget(double limit, long nowNanos) {
        this.limit = limit;
        // Until the first reply we know nothing of what others left in the bucket: start from empty, so
        // the first request waits for its own refill instead of risking a 429.
        this.remainingAtReply = 0;
        this.replyNanos = nowNanos;
        this.ourRatePerNano = ratePerNano();
        this.adjustedNanos = nowNanos;
        this.decreasedNanos = nowNanos - DECREASE_INTERVAL_NANOS;
    }

    /** A reservation and the nanoseconds it must wait before it is sent. */
    public record Ticket(long seq, long amount, long waitNanos) {
    }

    /** Takes {@code amount} and says how long to wait before sending it. */
    public synchronized Ticket reserve(long amount, long nowNanos) {
        double available = available(nowNanos);
        long wait = available >= amount ? 0 : (long) ((amount - available) / ourRatePerNano);
        Ticket ticket = new Ticket(nextSeq++, amount, wait);
        sinceReply.addLast(new Reservation(ticket.seq(), amount));
        return ticket;
    }

    /**
     * The reply to {@code ticket} arrived. {@code charged}: the provider counted the request (it
     * did not refuse it with a 429). Headers, when present, say what the provider has left.
     */
    public synchronized void settle(Ticket ticket, boolean charged, Long headerLimit, Long headerRemaining,
                                    long nowNanos) {
        if (headerLimit != null && headerLimit > 0 && headerLimit != limit) {
            ourRatePerNano *= headerLimit / limit;
            limit = headerLimit;
        }
        if (!charged) {
            decrease(DECREASE_ON_429, nowNanos);
        }
        if (headerRemaining == null || ticket.seq() <= replySeq) {
            if (ticket.seq() > replySeq) {
                sinceReply.removeIf(r -> r.seq() == ticket.seq()); // no word: the next reply corrects us
            }
            return;
        }
        adjust(headerRemaining, nowNanos);
        remainingAtReply = headerRemaining;
        replyNanos = nowNanos;
        replySeq = ticket.seq();
        sinceReply.removeIf(r -> r.seq() <= ticket.seq());
    }

    /** What the provider is estimated to hold for us now (negative: we are ahead of the refill). */
    public synchronized double available(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - replyNanos);
        double refilled = Math.min(limit, remainingAtReply + elapsed * ourRatePerNano);
        double ours = sinceReply.stream().filter(r -> r.seq() > replySeq).mapToLong(Reservation::amount).sum();
        return refilled - ours - limit * RESERVE;
    }

    /** The share of the limit this instance currently plans to use. */
    public synchronized double share() {
        return ourRatePerNano / ratePerNano();
    }

    private void adjust(long remaining, long nowNanos) {
        if (remaining < limit * LOW_WATER) {
            decrease(DECREASE, nowNanos);
        } else {
            long elapsed = Math.max(0, nowNanos - adjustedNanos);
            ourRatePerNano = Math.min(ratePerNano(), ourRatePerNano + ratePerNano() * INCREASE_PER_SECOND * elapsed / 1e9);
        }
        adjustedNanos = nowNanos;
    }

    private void decrease(double factor, long nowNanos) {
        if (nowNanos - decreasedNanos < DECREASE_INTERVAL_NANOS) {
            return;
        }
        decreasedNanos = nowNanos;
        adjustedNanos = nowNanos;
        ourRatePerNano = Math.max(ratePerNano() * MIN_SHARE, ourRatePerNano * factor);
    }

    private double ratePerNano() {
        return limit / NANOS_PER_MINUTE;
    }
}
