package dev.embedstream.app.bench;

import com.sun.net.httpserver.HttpServer;
import dev.embedstream.app.corpus.SampleCorpus;
import dev.embedstream.client.ClientConfig;
import dev.embedstream.client.ClientDocument;
import dev.embedstream.client.EmbedstreamClient;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topic;
import dev.embedstream.contracts.Topics;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.HttpIngest;
import dev.embedstream.ingest.HttpIngestConfig;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Scenario 8, publishing: the Java client and the HTTP API against a bare Kafka producer with the
 * same delivery guarantees (idempotent, acks=all, lz4) sending the same documents, each into fresh
 * topics of the same broker, in five rounds of rotated order.
 */
public final class IngestBench {

    private static final String SCENARIO = "8 publish";
    private static final String COLLECTION = "bench_publish";
    private static final int HTTP_DOCUMENTS_PER_REQUEST = 2_000;
    private static final int HTTP_CONCURRENT_REQUESTS = 8;
    private static final int ROUNDS = 5;

    private final KafkaSettings cluster;
    private final PrintStream log;

    public IngestBench(KafkaSettings cluster, PrintStream log) {
        this.cluster = cluster;
        this.log = log;
    }

    public void run(BenchReport report, int count) throws Exception {
        List<Document> docs = SampleCorpus.generate(count, 41).stream()
                .map(e -> new Document(COLLECTION, e.id(), e.text(), Map.of("category", e.category()), 1L)).toList();
        log.printf("  publishing %,d documents: bare producer, Java client, HTTP API, five rounds…%n", count);
        warmUp(docs.subList(0, Math.min(20_000, docs.size())));
        // Five rounds, the order rotated each round. A bare round lasts about a second beside an
        // in-process broker, so single rounds vary by 2x: each ratio is the median of the five rounds'
        // own ratios (a path against the bare producer of the same round), each rate the median.
        double[][] seconds = new double[3][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < 3; k++) {
                int path = (round + k) % 3;
                System.gc(); // garbage of the previous path is not this one's cost
                seconds[path][round] = path == 0 ? bareProducer(docs) : path == 1 ? javaClient(docs) : httpApi(docs);
            }
        }
        double[] clientRatios = new double[ROUNDS];
        double[] httpRatios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            clientRatios[round] = seconds[0][round] / seconds[1][round];
            httpRatios[round] = seconds[0][round] / seconds[2][round];
        }
        report.reference(SCENARIO, "bare Kafka producer", count / median(seconds[0]), "docs/s",
                "idempotent, acks=all, lz4, same serializer; median of five rounds, the order of the three paths rotated");
        report.ratio(SCENARIO, "Java client vs bare producer", count / median(seconds[1]), "docs/s", median(clientRatios),
                0.8, true, "EmbedstreamClient.publish, every future acknowledged; " + spread(clientRatios));
        report.ratio(SCENARIO, "HTTP API vs bare producer", count / median(seconds[2]), "docs/s", median(httpRatios), 0.5,
                true, String.format(Locale.ROOT, "NDJSON, %d documents per request, %d requests at a time, each answered"
                        + " after Kafka's acks; %s", HTTP_DOCUMENTS_PER_REQUEST, HTTP_CONCURRENT_REQUESTS, spread(httpRatios)));
    }

    /** Threads named for what they are, so a profile tells the server's CPU from the client's. */
    private static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String spread(double[] ratios) {
        double[] sorted = ratios.clone();
        java.util.Arrays.sort(sorted);
        return String.format(Locale.ROOT, "median of %d rounds' ratios (%.2f to %.2f)", sorted.length, sorted[0],
                sorted[sorted.length - 1]);
    }

    private void warmUp(List<Document> docs) throws Exception {
        bareProducer(docs);
        javaClient(docs);
        httpApi(docs);
    }

    private double bareProducer(List<Document> docs) throws Exception {
        KafkaSettings kafka = fresh();
        Topic<DocumentKey, Document> topic = kafka.topic(Topics.DOCUMENTS);
        Map<String, Object> props = kafka.clientProperties("bench-bare");
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("compression.type", "lz4");
        props.put("linger.ms", 5);
        props.put("batch.size", 256 * 1024);
        try (var producer = new KafkaProducer<>(props, topic.key().serializer(), topic.value().serializer())) {
            long start = System.nanoTime();
            List<Future<RecordMetadata>> acks = new ArrayList<>(docs.size());
            for (Document d : docs) {
                acks.add(producer.send(new ProducerRecord<>(topic.name(), d.key(), d)));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private double javaClient(List<Document> docs) throws Exception {
        KafkaSettings kafka = fresh();
        ClientConfig.Builder builder = ClientConfig.builder(kafka.bootstrapServers()).topicPrefix(kafka.topicPrefix());
        kafka.connection().forEach(builder::kafkaProperty);
        try (EmbedstreamClient client = EmbedstreamClient.create(builder.build())) {
            long start = System.nanoTime();
            List<CompletableFuture<?>> acks = new ArrayList<>(docs.size());
            for (Document d : docs) {
                acks.add(client.publish(d.collection(), new ClientDocument(d.id(), d.text(), d.metadata(), d.version())));
            }
            client.flush();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private double httpApi(List<Document> docs) throws Exception {
        KafkaSettings kafka = fresh();
        List<byte[]> bodies = ndjsonRequests(docs);
        HttpIngest.preferLowLatency();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService serverThreads = Executors.newFixedThreadPool(8, named("bench-http-server-"));
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            server.createContext(HttpIngest.PATH, new HttpIngest(publisher, HttpIngestConfig.from(
                    dev.embedstream.contracts.ConfigLookup.of(Map.of()))));
            server.setExecutor(serverThreads);
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + HttpIngest.PATH + COLLECTION
                    + "/documents");
            return postAll(uri, bodies, docs.size());
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    /** Request bodies as bytes, made before the clock starts: a real client encodes on its own machine. */
    private static List<byte[]> ndjsonRequests(List<Document> docs) {
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            Document d = docs.get(i);
            body.append(Json.writeString(Map.of("id", d.id(), "text", d.text(), "metadata", d.metadata(),
                    "version", d.version()))).append('\n');
            if ((i + 1) % HTTP_DOCUMENTS_PER_REQUEST == 0 || i == docs.size() - 1) {
                bodies.add(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                body.setLength(0);
            }
        }
        return bodies;
    }

    /**
     * Posts the bodies over {@link #HTTP_CONCURRENT_REQUESTS} keep-alive connections, each a blocking
     * client on its own thread (as application servers post): the JDK's asynchronous client spent about
     * a third more CPU per byte here, on the cores the server under test runs on.
     */
    private static double postAll(URI uri, List<byte[]> bodies, int expected) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        java.net.URL url = uri.toURL();
        ExecutorService clients = Executors.newFixedThreadPool(HTTP_CONCURRENT_REQUESTS, named("bench-http-client-"));
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < HTTP_CONCURRENT_REQUESTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        accepted.addAndGet(post(url, bodies.get(i)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (accepted.get() != expected) {
                throw new IllegalStateException("HTTP publish accepted " + accepted.get() + " of " + expected + " documents");
            }
            return seconds;
        } finally {
            clients.shutdownNow();
        }
    }

    private static long post(java.net.URL url, byte[] body) throws java.io.IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) url.openConnection();
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/x-ndjson");
        c.setFixedLengthStreamingMode(body.length);
        try (java.io.OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        if (c.getResponseCode() != 200) {
            try (java.io.InputStream err = c.getErrorStream()) {
                throw new IllegalStateException("HTTP publish answered " + c.getResponseCode() + ": "
                        + (err == null ? "" : new String(err.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        try (java.io.InputStream in = c.getInputStream()) {
            return acceptedCount(in.readAllBytes()); // read whole, so the connection is kept for the next request
        }
    }

    /**
     * The reply's "accepted" count, read off its head: the per-input list after it is what a client
     * on its own machine would read; this one shares the server's two cores.
     */
    private static long acceptedCount(byte[] reply) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.createParser(reply)) {
            for (var t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && "accepted".equals(p.currentName())
                        && p.getParsingContext().getParent().inRoot()) {
                    p.nextToken();
                    return p.getLongValue();
                }
            }
        }
        throw new IllegalStateException("HTTP publish reply without an accepted count");
    }

    private KafkaSettings fresh() {
        return BenchTopics.fresh(cluster);
    }
}
