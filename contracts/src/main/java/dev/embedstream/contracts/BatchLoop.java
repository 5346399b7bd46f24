package dev.embedstream.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume loop every worker shares: poll a batch, hand it to an idempotent handler, and commit
 * the offsets only after the handler succeeded. A retriable failure pauses the partitions (the
 * consumer keeps its group membership while it waits) and retries the same batch with capped,
 * jittered backoff; a batch whose partitions were revoked meanwhile is dropped uncommitted, for the
 * new owner to redo. Any other failure stops the loop: nothing is committed, so nothing is lost.
 */
public final class BatchLoop implements Runnable {

    /**
     * Processes one polled batch. Must be idempotent: a batch may be handled again after a crash.
     * What it puts in {@code details} (counts, timings) goes into the batch's log event.
     */
    @FunctionalInterface
    public interface Handler {
        void handle(List<ConsumerRecord<byte[], byte[]>> batch, Map<String, Object> details) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(BatchLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final Handler handler;
    private final Predicate<Throwable> retriable;
    private final Duration maxBackoff;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean revoked = new AtomicBoolean(false);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile Throwable failure;
    private volatile boolean waiting;
    private final Runnable onAssignmentChange;

    public BatchLoop(String name, Consumer<byte[], byte[]> consumer, Collection<String> topics, Handler handler,
                     Predicate<Throwable> retriable, Duration maxBackoff) {
        this(name, consumer, topics, handler, retriable, maxBackoff, () -> { });
    }

    /** As above; {@code onAssignmentChange} runs whenever partitions are assigned, revoked or lost. */
    public BatchLoop(String name, Consumer<byte[], byte[]> consumer, Collection<String> topics, Handler handler,
                     Predicate<Throwable> retriable, Duration maxBackoff, Runnable onAssignmentChange) {
        this.onAssignmentChange = Objects.requireNonNull(onAssignmentChange);
        this.name = Objects.requireNonNull(name);
        this.consumer = Objects.requireNonNull(consumer);
        this.topics = List.copyOf(topics);
        this.handler = Objects.requireNonNull(handler);
        this.retriable = Objects.requireNonNull(retriable);
        this.maxBackoff = Objects.requireNonNull(maxBackoff);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, new RevocationTracker());
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
                if (!polled.isEmpty()) {
                    process(toList(polled));
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                failure = e;
                throw e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            log.error("{} stopped: {}", name, e.toString(), e);
            throw e;
        } finally {
            consumer.close();
        }
    }

    private volatile Thread thread;

    /** Runs the loop on a thread of its own. */
    public BatchLoop startThread(String threadName) {
        Thread t = new Thread(this, threadName);
        thread = t;
        t.start();
        return this;
    }

    /** Stops the loop and waits up to {@code timeout} for its thread to finish the batch in hand. */
    public void stopAndJoin(Duration timeout) {
        stop();
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the loop still runs: not stopped, not failed, and its thread (if any) alive. */
    public boolean isAlive() {
        Thread t = thread;
        return isRunning() && (t == null || t.isAlive());
    }

    /** Asks the loop to finish the batch in hand and stop; safe from any thread. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    public boolean isRunning() {
        return running.get() && failure == null;
    }

    /** Why the loop stopped, if it stopped on a failure. */
    public Throwable failure() {
        return failure;
    }

    private volatile boolean joined;

    /**
     * Whether the consumer has joined its group and received an assignment (possibly empty, when the
     * group has more members than partitions): until then it processes nothing.
     */
    public boolean hasJoined() {
        return joined;
    }

    /** The loop's consumer, for its stock client metrics only (it is not safe to use from another thread). */
    public Consumer<byte[], byte[]> consumer() {
        return consumer;
    }

    public long batchesDone() {
        return batches.get();
    }

    public long recordsDone() {
        return records.get();
    }

    public long retries() {
        return retries.get();
    }

    private void process(List<ConsumerRecord<byte[], byte[]>> batch) {
        revoked.set(false);
        long started = System.currentTimeMillis();
        long retriesBefore = retries.get();
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        if (handleWithRetries(batch, details)) {
            long handled = System.currentTimeMillis();
            commit(batch);
            batches.incrementAndGet();
            records.addAndGet(batch.size());
            logBatch(batch, details, started, handled, retries.get() - retriesBefore);
        } else {
            rewind(batch);
        }
    }

    /** One event per batch with its timing breakdown: waiting in Kafka, handling, committing. */
    private void logBatch(List<ConsumerRecord<byte[], byte[]>> batch, Map<String, Object> details, long started,
                          long handled, long batchRetries) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long oldest = batch.stream().mapToLong(ConsumerRecord::timestamp).filter(t -> t > 0).min().orElse(started);
        var event = log.atInfo().addKeyValue("worker", name).addKeyValue("records", batch.size())
                .addKeyValue("queue_wait_ms", Math.max(0, started - oldest))
                .addKeyValue("handle_ms", handled - started)
                .addKeyValue("commit_ms", System.currentTimeMillis() - handled)
                .addKeyValue("retries", batchRetries);
        for (Map.Entry<String, Object> d : details.entrySet()) {
            event = event.addKeyValue(d.getKey(), d.getValue());
        }
        event.log("batch done");
    }

    /**
     * A dropped batch must be read again by whoever owns its partitions now: partitions still ours
     * go back to the batch's first offsets (our position had moved past them).
     */
    private void rewind(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        var assigned = consumer.assignment();
        first.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    private boolean handleWithRetries(List<ConsumerRecord<byte[], byte[]>> batch, Map<String, Object> details) {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                details.clear();
                handler.handle(batch, details);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(name + " interrupted while handling a batch", e);
            } catch (Exception e) {
                if (!retriable.test(e)) {
                    throw new IllegalStateException(name + " cannot handle a batch of " + batch.size()
                            + " records (not retriable): " + e.getMessage(), e);
                }
                retries.incrementAndGet();
                log.warn("{}: batch of {} records failed, retrying in {} ms: {}", name, batch.size(),
                        backoff.toMillis(), e.toString());
                if (!waitPaused(jitter(backoff)) || revoked.get()) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Waits while polling with all partitions paused, so the group does not evict this member. A
     * rebalance meanwhile can hand out partitions unpaused: anything such a poll returns is not
     * processed now, so its partition is sent back to where that record was, to be read again.
     */
    private boolean waitPaused(Duration wait) {
        waiting = true;
        consumer.pause(consumer.assignment());
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (running.get() && System.nanoTime() < deadline) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ofMillis(Math.min(left, POLL.toMillis())));
                if (!unexpected.isEmpty()) {
                    rewind(toList(unexpected));
                    consumer.pause(consumer.assignment());
                }
            }
            return running.get();
        } catch (WakeupException e) {
            return false;
        } finally {
            waiting = false;
            consumer.resume(consumer.paused());
        }
    }

    private void commit(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The partitions moved on; their new owner redoes the batch, and the handler is idempotent.
            log.info("{}: offsets of a finished batch not committed ({}), the batch will be redone", name, e.toString());
        }
    }

    private static Duration jitter(Duration d) {
        long ms = d.toMillis();
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    private static List<ConsumerRecord<byte[], byte[]>> toList(ConsumerRecords<byte[], byte[]> polled) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(polled.count());
        polled.forEach(list::add);
        return list;
    }

    private final class RevocationTracker implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revoked.set(true);
                onAssignmentChange.run();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            // Committed offsets are where the last finished batch ended; while a retry waits, new
            // partitions wait with it.
            if (waiting) {
                consumer.pause(partitions);
            }
            if (!partitions.isEmpty()) {
                onAssignmentChange.run();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
