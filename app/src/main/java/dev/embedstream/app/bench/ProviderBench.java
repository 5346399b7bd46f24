package dev.embedstream.app.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.RateLimitException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.embedstream.app.corpus.SampleCorpus;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.embedder.OpenAiProvider;
import dev.embedstream.simulator.EmbeddingSimulator;
import dev.embedstream.simulator.SimulatorConfig;
import dev.embedstream.simulator.Stats;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 4: the OpenAI-compatible provider against the simulator's RPM/TPM limits, in steady
 * state (after the provider's initial full bucket is spent): achieved tokens per minute as a
 * fraction of the limit and the share of 429s, for one embedder, for two embedders sharing one
 * account, and for a naive client that sends one document per request.
 */
public final class ProviderBench {

    private static final String KEY = "sk-bench";
    private static final int BATCH = 64;
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    private final int rpm;
    private final int tpm;
    private final Duration window;
    private final PrintStream log;
    private final List<String> texts;

    public ProviderBench(int rpm, int tpm, Duration window, PrintStream log) {
        this.rpm = rpm;
        this.tpm = tpm;
        this.window = window;
        this.log = log;
        this.texts = SampleCorpus.stream(20_000, 11L).map(SampleCorpus.Entry::text).toList();
    }

    private java.util.Set<String> cases = java.util.Set.of("naive", "one", "two");

    /** Runs only these cases: naive, one, two. */
    public ProviderBench cases(java.util.Set<String> wanted) {
        this.cases = java.util.Set.copyOf(wanted);
        return this;
    }

    public void run(BenchReport report) throws Exception {
        String limits = String.format("%,d RPM / %,d TPM, %d s steady-state window", rpm, tpm, window.toSeconds());
        Result naive = cases.contains("naive") ? measure("naive client (1 document per request)", 1, true) : null;
        if (naive != null) {
            report.reference("4 rate-limited provider", "naive: TPM / limit", naive.tpmFraction() * 100, "% of TPM",
                String.format("%s after a 5 s warm-up; 429s %.1f%% of requests", limits,
                            naive.rateLimitedFraction() * 100));
        }
        if (cases.contains("one")) {
            Result one = measure("embedstream, 1 embedder", 1, false);
            report.ratio("4 rate-limited provider", "1 embedder: TPM / limit", one.tokensPerMinute(), "tokens/min",
                one.tpmFraction(), 0.95, true, String.format("429s %.2f%% of requests (goal <= 1%%): %s (+%d in the 5 s warm-up); %.1fx naive",
                        one.rateLimitedFraction() * 100, one.rateLimitedFraction() <= 0.01 ? "PASS" : "BELOW",
                        one.warmUpRateLimited(),
                        naive == null ? Double.NaN : one.tpmFraction() / Math.max(1e-9, naive.tpmFraction())));
        }
        if (cases.contains("two")) {
            Result two = measure("embedstream, 2 embedders sharing the limit", 2, false);
            report.ratio("4 rate-limited provider", "2 embedders: TPM / limit", two.tokensPerMinute(), "tokens/min",
                two.tpmFraction(), 0.95, true, String.format("429s %.2f%% of requests (goal <= 1%%): %s (+%d in the 5 s warm-up)",
                        two.rateLimitedFraction() * 100, two.rateLimitedFraction() <= 0.01 ? "PASS" : "BELOW",
                        two.warmUpRateLimited()));
        }
    }

    /** Achieved throughput in a steady-state window. */
    record Result(long tokens, long requests, long rateLimited, double minutes, int tpm, long warmUpRateLimited) {
        double tokensPerMinute() {
            return tokens / minutes;
        }

        double tpmFraction() {
            return tokensPerMinute() / tpm;
        }

        double rateLimitedFraction() {
            return requests == 0 ? 0 : (double) rateLimited / requests;
        }
    }

    private Result measure(String name, int clients, boolean naive) throws Exception {
        log.printf("  %s…%n", name);
        try (EmbeddingSimulator sim = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY)
                .withRpm(rpm).withTpm(tpm).withThreads(16))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            List<AutoCloseable> closeables = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Runnable load = naive ? naiveLoad(sim, stop, next, closeables) : pipelineLoad(sim, stop, next, closeables);
                threads.add(new Thread(load, "bench-client-" + c));
            }
            drain(sim);
            Stats started = sim.stats();
            threads.forEach(Thread::start);
            try {
                // The first seconds, while the clients learn the provider's bucket, are reported apart.
                Thread.sleep(WARM_UP.toMillis());
                Stats start = sim.stats();
                long t0 = System.nanoTime();
                Thread.sleep(window.toMillis());
                Stats end = sim.stats();
                double minutes = (System.nanoTime() - t0) / 60e9;
                return new Result(end.tokensCharged() - start.tokensCharged(), end.requests() - start.requests(),
                        end.rateLimited() - start.rateLimited(), minutes, tpm, start.rateLimited() - started.rateLimited());
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.join(30_000);
                }
                for (AutoCloseable c : closeables) {
                    c.close();
                }
            }
        }
    }

    /**
     * Spends the provider's initial full buckets (a minute of requests and of tokens) as another job
     * on the account would, so the window measures the sustained rate, not the first minute's burst.
     */
    private void drain(EmbeddingSimulator sim) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long requestsLeft = rpm;
        while (requestsLeft > rpm / 100) {
            List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
            for (int i = 0; i < Math.min(requestsLeft, 200); i++) {
                sent.add(http.sendAsync(request(sim, "[[1]]"), HttpResponse.BodyHandlers.discarding()));
            }
            for (var f : sent) {
                requestsLeft = Math.min(requestsLeft, header(f.get(), "x-ratelimit-remaining-requests"));
            }
        }
        long tokensLeft = tpm;
        while (tokensLeft > tpm / 100) {
            int amount = (int) Math.min(tokensLeft, 240_000);
            tokensLeft = remaining(http, sim, tokenIds(amount), "x-ratelimit-remaining-tokens");
        }
    }

    private static long remaining(HttpClient http, EmbeddingSimulator sim, String input, String header) throws Exception {
        return header(http.send(request(sim, input), HttpResponse.BodyHandlers.discarding()), header);
    }

    private static long header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).map(Long::parseLong).orElse(0L);
    }

    private static HttpRequest request(EmbeddingSimulator sim, String input) {
        String body = "{\"model\":\"text-embedding-3-small\",\"dimensions\":8,\"input\":" + input + "}";
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/embeddings"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Token-id inputs, which the provider counts exactly: {@code amount} tokens in inputs of at most 8,000. */
    private static String tokenIds(int amount) {
        StringBuilder sb = new StringBuilder("[");
        for (int left = amount; left > 0; left -= 8000) {
            sb.append(sb.length() > 1 ? ",[" : "[");
            int n = Math.min(left, 8000);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "1" : ",1");
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    private Runnable pipelineLoad(EmbeddingSimulator sim, AtomicBoolean stop, AtomicInteger next,
                                  List<AutoCloseable> closeables) {
        OpenAiProvider provider = new OpenAiProvider(OpenAiConfig.from(ConfigLookup.of(Map.of(
                OpenAiConfig.BASE_URL, sim.baseUrl(), OpenAiConfig.API_KEY, KEY,
                OpenAiConfig.RPM, Integer.toString(rpm), OpenAiConfig.TPM, Integer.toString(tpm),
                OpenAiConfig.DIMENSIONS, "256"))));
        synchronized (closeables) {
            closeables.add(provider);
        }
        return () -> {
            while (!stop.get()) {
                try {
                    provider.embedEach(nextBatch(next, BATCH));
                } catch (dev.embedstream.embedder.ProviderUnavailableException e) {
                    // The embedder's consume loop would pause and redo the batch; so does the bench.
                    log.printf("    (provider unavailable: %s)%n", e.getMessage());
                }
            }
        };
    }

    private Runnable naiveLoad(EmbeddingSimulator sim, AtomicBoolean stop, AtomicInteger next,
                               List<AutoCloseable> closeables) {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl()).apiKey(KEY).maxRetries(0).build();
        synchronized (closeables) {
            closeables.add(client::close);
        }
        return () -> {
            while (!stop.get()) {
                String text = nextBatch(next, 1).get(0);
                EmbeddingCreateParams params = EmbeddingCreateParams.builder().model("text-embedding-3-small")
                        .input(text).dimensions(256).build();
                try (HttpResponseFor<CreateEmbeddingResponse> r = client.embeddings().withRawResponse().create(params)) {
                    r.parse();
                } catch (RateLimitException e) {
                    sleepRetryAfter(e);
                } catch (RuntimeException e) {
                    // a naive client simply tries the next document
                }
            }
        };
    }

    private static void sleepRetryAfter(RateLimitException e) {
        List<String> after = e.headers().values("retry-after-ms");
        long ms = after.isEmpty() ? 1000 : (long) Double.parseDouble(after.get(0).trim());
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> nextBatch(AtomicInteger next, int size) {
        List<String> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(texts.get(Math.floorMod(next.getAndIncrement(), texts.size())));
        }
        return batch;
    }
}
