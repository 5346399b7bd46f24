package dev.embedstream.app.faults;

import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import dev.embedstream.testkit.PostgresEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a fault scenario published, and the check of where it all ended: every document's latest
 * version in its collection's active table exactly once (id, version, content hash, dimensions),
 * every deleted one gone, every bad record exactly once in the dead-letter topic with its reason.
 */
final class Ledger implements AutoCloseable {

    /** The table row a document must end as; a null hash: it must be absent (deleted). */
    private record Expected(String textHash, Long version) {
    }

    /** A bad record: where it was published and a fragment its dead-letter reason must contain. */
    private record Bad(String what, String reason) {
    }

    private final PostgresEndpoint pg;
    private final String schema;
    private final int dimensions;
    private final String deadLetterTopic;
    private final String sourceTopic;
    private final Map<String, Map<String, Expected>> documents = new ConcurrentHashMap<>();
    private final Map<String, Bad> bad = new ConcurrentHashMap<>();
    private final Map<String, Integer> deadLettersSeen = new HashMap<>();
    private final Map<String, String> deadLetterReasons = new HashMap<>();
    private final KafkaConsumer<byte[], byte[]> deadLetters;
    private final StringBuilder deadLetterText = new StringBuilder();

    Ledger(PostgresEndpoint pg, String schema, int dimensions, KafkaSettings kafka) {
        this.pg = pg;
        this.schema = schema;
        this.dimensions = dimensions;
        this.sourceTopic = kafka.topic(Topics.DOCUMENTS).name();
        this.deadLetterTopic = kafka.topic(Topics.DEAD_LETTERS).name();
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        deadLetters = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // assigned, not subscribed: reading must not wait for a group to form
        var partitions = deadLetters.partitionsFor(deadLetterTopic).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(deadLetterTopic, p.partition())).toList();
        deadLetters.assign(partitions);
        deadLetters.seekToBeginning(partitions);
    }

    /** A document published: its highest version (the last published, when unversioned) is what the table must hold. */
    void published(Document doc) {
        Expected now = new Expected(ContentHash.ofText(doc.text()), doc.version());
        documents.computeIfAbsent(doc.collection(), c -> new ConcurrentHashMap<>()).merge(doc.id(), now,
                (before, late) -> before.version() != null && late.version() != null && before.version() > late.version()
                        ? before : late);
    }

    /** A tombstone published: the document must be gone. */
    void deleted(String collection, String id) {
        documents.computeIfAbsent(collection, c -> new ConcurrentHashMap<>()).put(id, new Expected(null, null));
    }

    /** A record that must be dead-lettered, once, with {@code reason} in its reason header. */
    void bad(RecordMetadata sent, String what, String reason) {
        bad.put(sent.partition() + "@" + sent.offset(), new Bad(what, reason));
    }

    /** Reads the table and the dead-letter topic; throws while PostgreSQL is away. */
    Tally measure() throws SQLException {
        readDeadLetters();
        Tally t = new Tally();
        t.published = bad.size() + documents.values().stream().mapToLong(Map::size).sum();
        try (Connection c = pg.connect()) {
            for (var entry : documents.entrySet()) {
                measureCollection(c, entry.getKey(), entry.getValue(), t);
            }
        }
        for (var e : bad.entrySet()) {
            String reason = deadLetterReasons.get(e.getKey());
            if (reason == null) {
                t.lost++;
                t.problems.add(e.getValue().what() + ": not in the dead-letter topic");
            } else if (!reason.contains(e.getValue().reason())) {
                t.lost++;
                t.problems.add(e.getValue().what() + ": dead-lettered with '" + reason + "', expected '"
                        + e.getValue().reason() + "'");
            }
        }
        t.deadLettered = deadLettersSeen.size();
        for (var e : deadLettersSeen.entrySet()) {
            t.duplicated += e.getValue() - 1;
            if (!bad.containsKey(e.getKey())) {
                t.problems.add("record " + e.getKey() + " of a good document dead-lettered: " + deadLetterReasons.get(e.getKey()));
            }
        }
        return t;
    }

    /** Waits (three minutes at most) until nothing is lost, checking {@code alive} each time; prints the tally. */
    Tally settle(Runnable alive, String label) {
        return settle(alive, label, false);
    }

    /** As {@link #settle}, through errors of a database that is still coming back. */
    Tally settleIgnoringErrors(Runnable alive, String label) {
        return settle(alive, label, true);
    }

    private Tally settle(Runnable alive, String label, boolean ignoreErrors) {
        Tally[] tally = new Tally[1];
        var wait = org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1));
        try {
            (ignoreErrors ? wait.ignoreExceptions() : wait).until(() -> {
                alive.run();
                tally[0] = measure();
                return tally[0].lost == 0;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the tally printed below says what is missing; the caller's assertions fail on it
        }
        if (tally[0] == null) {
            tally[0] = measureOrLose();
        }
        System.out.println(tally[0].line(label));
        return tally[0];
    }

    private Tally measureOrLose() {
        try {
            return measure();
        } catch (SQLException e) {
            Tally t = new Tally();
            t.lost = Long.MAX_VALUE;
            t.problems.add("the table could not be read: " + e.getMessage());
            return t;
        }
    }

    private void measureCollection(Connection c, String collection, Map<String, Expected> expected, Tally t)
            throws SQLException {
        Map<String, Expected> stored = new HashMap<>();
        Map<String, long[]> vectors = new HashMap<>();
        String[] tables = activeTables(c, collection);
        if (tables != null) {
            try (var st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT d.doc_id, d.text_hash, d.version, d.chunk_count, count(v.doc_id),"
                         + " coalesce(min(vector_dims(v.embedding)), 0), coalesce(max(vector_dims(v.embedding)), 0)"
                         + " FROM \"" + schema + "\".\"" + tables[0] + "\" d LEFT JOIN \"" + schema + "\".\"" + tables[1]
                         + "\" v ON v.doc_id = d.doc_id GROUP BY d.doc_id, d.text_hash, d.version, d.chunk_count")) {
                while (rs.next()) {
                    long version = rs.getLong(3);
                    stored.put(rs.getString(1), new Expected(rs.getString(2), rs.wasNull() ? null : version));
                    vectors.put(rs.getString(1), new long[] {rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)});
                }
            }
            try (var st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\".\"" + tables[1] + "\" v WHERE NOT EXISTS"
                         + " (SELECT 1 FROM \"" + schema + "\".\"" + tables[0] + "\" d WHERE d.doc_id = v.doc_id)")) {
                rs.next();
                t.duplicated += rs.getLong(1); // vectors of no document: leftovers a delete or update missed
            }
        }
        for (var e : expected.entrySet()) {
            Expected want = e.getValue();
            Expected got = stored.get(e.getKey());
            if (want.textHash() == null) {
                if (got != null) {
                    t.lost++;
                    t.problems.add(collection + "/" + e.getKey() + ": deleted but still stored");
                }
                continue;
            }
            if (got == null || !got.equals(want)) {
                t.lost++;
                t.problems.add(collection + "/" + e.getKey() + ": " + (got == null ? "missing" : "stale (version "
                        + got.version() + " instead of " + want.version() + ")"));
                continue;
            }
            long[] v = vectors.get(e.getKey());
            if (v[1] != v[0]) {
                t.duplicated += Math.max(0, v[1] - v[0]);
                t.problems.add(collection + "/" + e.getKey() + ": " + v[1] + " vector rows for " + v[0] + " chunks");
            }
            if (v[2] != dimensions || v[3] != dimensions) {
                t.wrongDimensions++;
            }
            t.embedded++;
        }
        for (String id : stored.keySet()) {
            if (!expected.containsKey(id)) {
                t.problems.add(collection + "/" + id + ": stored but never published");
                t.duplicated++;
            }
        }
    }

    private String[] activeTables(Connection c, String collection) throws SQLException {
        try (var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('\"" + schema + "\".generations') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return null;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT g.docs_table, g.vector_table FROM \"" + schema
                + "\".collections c JOIN \"" + schema + "\".generations g ON g.collection = c.name"
                + " AND g.generation = c.active_generation WHERE c.name = ?")) {
            ps.setString(1, collection);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }

    private void readDeadLetters() {
        for (int empty = 0; empty < 2; ) {
            var records = deadLetters.poll(Duration.ofMillis(300));
            empty = records.isEmpty() ? empty + 1 : 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                r.headers().forEach(h -> deadLetterText.append(h.key()).append('=')
                        .append(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)).append('\n'));
                if (r.value() != null) {
                    deadLetterText.append(new String(r.value(), 0, Math.min(r.value().length, 4096),
                            java.nio.charset.StandardCharsets.UTF_8)).append('\n');
                }
                if (!sourceTopic.equals(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))) {
                    continue; // a re-embed's replay or another stage's topic: not this ledger's records
                }
                String where = DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                        + DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET);
                deadLettersSeen.merge(where, 1, Integer::sum);
                deadLetterReasons.put(where, DeadLetters.header(r.headers(), DeadLetters.REASON));
            }
        }
    }

    /** Every dead letter read so far, headers and value, as text: what the secrets check greps. */
    String deadLetterText() {
        readDeadLetters();
        return deadLetterText.toString();
    }

    @Override
    public void close() {
        deadLetters.close();
    }

    /** Where everything ended. */
    static final class Tally {
        long published;
        long embedded;
        long deadLettered;
        long lost;
        long duplicated;
        long wrongDimensions;
        final List<String> problems = new java.util.ArrayList<>();

        /** The line each scenario prints. */
        String line(String label) {
            return String.format("%s: published %d / embedded %d / dead-lettered %d / lost %d / duplicated %d%s", label,
                    published, embedded, deadLettered, lost, duplicated,
                    problems.isEmpty() ? "" : "; first problems: " + problems.subList(0, Math.min(5, problems.size())));
        }
    }
}
