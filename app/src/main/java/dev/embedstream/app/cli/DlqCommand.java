package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code embedstream dlq list|retry}: shows dead letters with their reasons, and replays them. */
@Command(name = "dlq", mixinStandardHelpOptions = true, subcommands = {DlqCommand.ListDeadLetters.class,
        DlqCommand.RetryDeadLetters.class}, description = "Show or replay records that could not be embedded or written.")
public final class DlqCommand implements Runnable {

    /** The consumer group that remembers which dead letters were replayed. */
    public static final String RETRY_GROUP = "embedstream-dlq-retry";

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every dead letter with its reason.")
    static final class ListDeadLetters implements Callable<Integer> {
        @Option(names = "--limit", defaultValue = "100", description = "most records to print (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            KafkaSettings kafka = AppConfig.from(ConfigLookup.env()).requireKafka();
            List<ConsumerRecord<byte[], byte[]>> records = readAll(kafka, null);
            System.out.printf("%d dead letters in %s%n", records.size(), kafka.topic(Topics.DEAD_LETTERS).name());
            records.stream().limit(limit).forEach(r -> System.out.printf("  @%d  %s  %s-%s@%s  key=%s%n      %s%n",
                    r.offset(), DeadLetters.header(r.headers(), DeadLetters.STAGE),
                    DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC),
                    DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION),
                    DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET), text(r.key()),
                    DeadLetters.header(r.headers(), DeadLetters.REASON)));
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Replay dead letters not replayed before to the topic they came from (after a fix).")
    static final class RetryDeadLetters implements Callable<Integer> {
        @Override
        public Integer call() {
            Replay r = replay(AppConfig.from(ConfigLookup.env()).requireKafka());
            System.out.printf("replayed %d dead letters%n", r.replayed());
            r.notReplayable().forEach((why, n) -> System.out.printf("not replayable: %d %s%n", n, why));
            return 0;
        }
    }

    /**
     * What a retry did: letters sent back to their topic, and those that came from no topic (a table row
     * the backfill could not publish), counted by what to do about them instead.
     */
    public record Replay(int replayed, Map<String, Integer> notReplayable) {
        public Replay {
            notReplayable = Map.copyOf(notReplayable);
        }
    }

    /**
     * Replays every dead letter not replayed before to its source topic. A letter from no topic is
     * passed over and marked done with the rest: replaying cannot fix it, and leaving it due would stop
     * every later retry at it.
     */
    public static Replay replay(KafkaSettings kafka) {
        {
            Map<String, Object> props = kafka.clientProperties("dlq-retry");
            props.put("acks", "all");
            props.put("enable.idempotence", "true");
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, RETRY_GROUP);
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                         new ByteArraySerializer())) {
                List<ConsumerRecord<byte[], byte[]>> records = readFromCommitted(consumer, kafka);
                List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
                Map<String, Integer> notReplayable = new java.util.TreeMap<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    String source = DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC);
                    if (source == null) {
                        notReplayable.merge(instead(r), 1, Integer::sum);
                        continue;
                    }
                    acks.add(producer.send(new ProducerRecord<>(source, r.key(), r.value())));
                }
                // Offsets are committed only when every replay was acknowledged: a failed one stays due.
                for (java.util.concurrent.Future<?> ack : acks) {
                    try {
                        ack.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while replaying dead letters", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("replaying a dead letter failed; none were marked replayed: "
                                + e.getCause(), e.getCause());
                    }
                }
                commitThrough(consumer, records);
                return new Replay(acks.size(), notReplayable);
            }
        }
    }

    /** What to do about a letter that came from no topic. */
    private static String instead(ConsumerRecord<byte[], byte[]> letter) {
        if ("backfill".equals(DeadLetters.header(letter.headers(), DeadLetters.STAGE))) {
            String collection = collectionOf(letter.key());
            return "table row(s) the backfill could not publish: fix them in their table and run `embedstream backfill "
                    + (collection == null ? "<collection>" : collection) + "`";
        }
        return "letter(s) without a " + DeadLetters.SOURCE_TOPIC + " header (not from an embedstream worker)";
    }

    private static String collectionOf(byte[] key) {
        try {
            return key == null ? null : dev.embedstream.contracts.Json.read(key, dev.embedstream.contracts.DocumentKey.class)
                    .collection();
        } catch (RuntimeException notAKey) {
            return null;
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings kafka, String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, group)) {
            List<TopicPartition> partitions = partitions(consumer, kafka);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return drain(consumer, partitions);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readFromCommitted(KafkaConsumer<byte[], byte[]> consumer,
                                                                         KafkaSettings kafka) {
        List<TopicPartition> partitions = partitions(consumer, kafka);
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata done = committed.get(tp);
            if (done == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, done.offset());
            }
        }
        return drain(consumer, partitions);
    }

    private static List<ConsumerRecord<byte[], byte[]>> drain(KafkaConsumer<byte[], byte[]> consumer,
                                                             List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    private static void commitThrough(KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, KafkaSettings kafka) {
        String topic = kafka.topic(Topics.DEAD_LETTERS).name();
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaSettings kafka, String group) {
        Map<String, Object> props = kafka.clientProperties("dlq");
        props.put("enable.auto.commit", "false");
        if (group != null) {
            props.put("group.id", group);
        }
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "(none)" : new String(bytes, StandardCharsets.UTF_8);
    }
}
