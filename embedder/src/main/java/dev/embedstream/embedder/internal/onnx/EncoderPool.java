package dev.embedstream.embedder.internal.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ONNX Runtime sessions of one model and one thread per session: the batches of a call run side by
 * side, one per session. Separate single-threaded sessions measured faster on CPU than one session
 * whose every call is split over all cores (each core keeps its own weights in cache and never waits
 * for the other inside a call).
 */
final class EncoderPool implements AutoCloseable {

    private final List<OnnxEncoder> all;
    private final BlockingQueue<OnnxEncoder> idle;
    private final ExecutorService threads;
    private final int intraOpThreads;

    private EncoderPool(String modelKey, List<OnnxEncoder> encoders, int intraOpThreads) {
        this.all = List.copyOf(encoders);
        this.idle = new ArrayBlockingQueue<>(encoders.size(), false, encoders);
        this.threads = Executors.newFixedThreadPool(encoders.size(), daemonThreads(modelKey));
        this.intraOpThreads = intraOpThreads;
    }

    static EncoderPool load(String modelKey, String onnxResource, int sessions, int intraOpThreads, int dimensions) {
        byte[] model = ClasspathResources.readAll(onnxResource);
        List<OnnxEncoder> encoders = new ArrayList<>(sessions);
        try {
            for (int i = 0; i < sessions; i++) {
                encoders.add(OnnxEncoder.create(model, onnxResource, intraOpThreads, dimensions));
            }
        } catch (RuntimeException e) {
            closeAll(encoders, e);
            throw e;
        }
        return new EncoderPool(modelKey, encoders, intraOpThreads);
    }

    /** Runs every task, side by side on the pool's threads (a single one on the caller's), and waits for all. */
    void runAll(List<Runnable> tasks) {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        List<Future<?>> running = new ArrayList<>(tasks.size());
        try {
            tasks.forEach(task -> running.add(threads.submit(task)));
            awaitAll(running);
        } finally {
            running.forEach(f -> f.cancel(false));
        }
    }

    /**
     * Waits for every task, even when interrupted: a task still running uses native sessions the
     * owner may free as soon as this call returns, so returning early could crash the process.
     */
    private static void awaitAll(List<Future<?>> running) {
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // restored below, once nothing of this call runs any more
                    running.forEach(other -> other.cancel(false)); // the ones not started never start
                } catch (ExecutionException e) {
                    failure = firstOrSuppressed(failure, unchecked(e.getCause()));
                    break;
                } catch (CancellationException e) {
                    failure = firstOrSuppressed(failure, e);
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw firstOrSuppressed(new IllegalStateException("interrupted while the local model embedded a batch"),
                    failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException firstOrSuppressed(RuntimeException first, RuntimeException next) {
        if (next == null) {
            return first;
        }
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static RuntimeException unchecked(Throwable cause) {
        // An Error is carried (not rethrown at once) so that the other tasks are still waited for.
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }

    /** Embeds one batch on an idle session; there are as many sessions as threads, so none waits long. */
    float[][] embed(PaddedBatch batch) {
        OnnxEncoder encoder = takeIdle();
        try {
            return encoder.embed(batch);
        } finally {
            idle.add(encoder);
        }
    }

    private OnnxEncoder takeIdle() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an idle ONNX Runtime session", e);
        }
    }

    /** Stops the threads and releases the sessions; the owner guarantees no call is in flight. */
    @Override
    public void close() {
        threads.shutdown();
        awaitThreads();
        RuntimeException failure = new IllegalStateException("cannot close the ONNX Runtime sessions");
        closeAll(all, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Sessions are freed only once no thread can be inside them. */
    private void awaitThreads() {
        boolean interrupted = false;
        while (true) {
            try {
                if (threads.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<OnnxEncoder> encoders, Exception failure) {
        for (OnnxEncoder encoder : encoders) {
            try {
                encoder.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String modelKey) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "embedstream-onnx-" + modelKey + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return all.size() + " session(s) x " + intraOpThreads + " thread(s)";
    }
}
