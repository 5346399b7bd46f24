package dev.embedstream.ingest;

import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.ingest.internal.RowTemplate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One Debezium table mapped to one collection: which change topics to read, and how a row becomes a
 * document. One mapping per config (and per Kafka Streams application) keeps each table's consumer
 * group, offsets and counters apart; run one {@link DebeziumSource} per table.
 *
 * <p>The text is built like a table collection's ({@link TableSource}): {@code textColumns} means the
 * template <code>{a}\n\n{b}</code>; a column's text is its JSON value as text (a string as is, a number
 * or boolean as written, NULL as empty), so configure Debezium with {@code decimal.handling.mode=string}
 * and string time types for such columns if they are part of the text or the key.
 *
 * @param topics          Debezium change topics of the table, all sharing this mapping (several when, say,
 *                        each partition of a partitioned table has its own topic); a row that moves from one
 *                        topic to another (an update of the partition key) may be applied out of order, so
 *                        prefer one topic per table ({@code publish.via.partition.root})
 * @param collection      the collection the documents go to
 * @param keyColumns      the table's primary key columns, whose text forms (joined by {@code :} when
 *                        several, with {@code \} and {@code :} escaped) are the document id; they must be
 *                        the columns Debezium keys its messages by, because the order of one document's
 *                        changes is Kafka's order within the partition of that key, and a tombstone
 *                        carries nothing else
 * @param textColumns     columns whose texts, joined by a blank line, are the document text; empty when
 *                        {@code textTemplate} is set
 * @param textTemplate    the text template (<code>{title}\n\n{body}</code>); null when {@code textColumns} is set
 * @param metadataColumns columns copied, with their JSON values, into the document's metadata
 * @param applicationId   the Kafka Streams application id: consumer group and offsets of this source
 */
public record DebeziumSourceConfig(List<String> topics, String collection, List<String> keyColumns,
                                   List<String> textColumns, String textTemplate, List<String> metadataColumns,
                                   String applicationId) {

    public static final String TOPICS = "EMBEDSTREAM_DEBEZIUM_TOPICS";
    public static final String COLLECTION = "EMBEDSTREAM_DEBEZIUM_COLLECTION";
    public static final String KEY_COLUMNS = "EMBEDSTREAM_DEBEZIUM_KEY_COLUMNS";
    public static final String TEXT_COLUMNS = "EMBEDSTREAM_DEBEZIUM_TEXT_COLUMNS";
    public static final String TEXT_TEMPLATE = "EMBEDSTREAM_DEBEZIUM_TEXT_TEMPLATE";
    public static final String METADATA_COLUMNS = "EMBEDSTREAM_DEBEZIUM_METADATA_COLUMNS";
    public static final String APPLICATION_ID = "EMBEDSTREAM_DEBEZIUM_APPLICATION_ID";

    // Kafka's legal topic characters; the application id prefixes internal topic names too.
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern APPLICATION_ID_CHARS = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public DebeziumSourceConfig {
        topics = requireTopics(topics);
        requireCollection(collection);
        keyColumns = requireColumns(KEY_COLUMNS, keyColumns, true);
        textColumns = requireColumns(TEXT_COLUMNS, textColumns, false);
        textTemplate = textTemplate == null || textTemplate.isBlank() ? null : textTemplate;
        requireOneTextSource(textColumns, textTemplate);
        metadataColumns = requireColumns(METADATA_COLUMNS, metadataColumns, false);
        if (applicationId == null || !APPLICATION_ID_CHARS.matcher(applicationId).matches()) {
            throw new ConfigException(APPLICATION_ID, "use 1-200 characters of A-Z, a-z, 0-9, '.', '_' and '-', got "
                    + applicationId);
        }
    }

    /** Reads the config from a lookup such as {@code System::getenv}. */
    public static DebeziumSourceConfig from(Function<String, String> lookup) {
        return from(new ConfigLookup(lookup));
    }

    public static DebeziumSourceConfig from(ConfigLookup c) {
        String collection = c.raw(COLLECTION);
        return new DebeziumSourceConfig(list(c, TOPICS), collection, list(c, KEY_COLUMNS), list(c, TEXT_COLUMNS),
                c.raw(TEXT_TEMPLATE), list(c, METADATA_COLUMNS),
                c.string(APPLICATION_ID, defaultApplicationId(c, collection)));
    }

    /** The text template in effect, whichever of the two ways it was given. */
    public String template() {
        return textTemplate != null ? textTemplate : TableSource.templateOf(textColumns);
    }

    // Like the maintenance worker's group: a topic prefix is a deployment of its own on a shared cluster,
    // and two deployments must not split one table's changes between them.
    private static String defaultApplicationId(ConfigLookup c, String collection) {
        if (collection == null) {
            return null;
        }
        String prefix = c.string(KafkaSettings.TOPIC_PREFIX, KafkaSettings.DEFAULT_TOPIC_PREFIX);
        return c.string(KafkaSettings.CLIENT_ID_PREFIX, KafkaSettings.DEFAULT_CLIENT_ID_PREFIX) + "-debezium-" + collection
                + (prefix.isEmpty() ? "" : "-" + prefix);
    }

    private static List<String> list(ConfigLookup c, String key) {
        String raw = c.raw(key);
        return raw == null ? List.of() : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> requireTopics(List<String> topics) {
        if (topics == null || topics.isEmpty()) {
            throw new ConfigException(TOPICS, "is required: the Debezium change topic(s) of the table, comma-separated");
        }
        for (String t : topics) {
            if (t == null || !TOPIC_NAME.matcher(t).matches()) {
                throw new ConfigException(TOPICS, "'" + t + "' is not a Kafka topic name");
            }
        }
        requireDistinct(TOPICS, topics);
        return List.copyOf(topics);
    }

    private static void requireCollection(String collection) {
        if (collection == null) {
            throw new ConfigException(COLLECTION, "is required");
        }
        if (!CollectionName.isValid(collection)) {
            throw new ConfigException(COLLECTION, "'" + collection + "' is not a collection name: use 1-"
                    + CollectionName.MAX_LENGTH + " characters of a-z, 0-9 and _, starting with a letter");
        }
    }

    private static List<String> requireColumns(String key, List<String> columns, boolean required) {
        if (columns == null || columns.isEmpty()) {
            if (required) {
                throw new ConfigException(key, "is required: comma-separated column names");
            }
            return List.of();
        }
        for (String col : columns) {
            if (col == null || col.isBlank() || !col.equals(col.trim())) {
                throw new ConfigException(key, "column name '" + col + "' is blank or has surrounding spaces");
            }
        }
        requireDistinct(key, columns);
        return List.copyOf(columns);
    }

    private static void requireDistinct(String key, List<String> values) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (!seen.add(v)) {
                throw new ConfigException(key, "'" + v + "' is listed twice");
            }
        }
    }

    private static void requireOneTextSource(List<String> textColumns, String textTemplate) {
        if (textTemplate != null && !textColumns.isEmpty()) {
            throw new ConfigException(TEXT_TEMPLATE, "set either " + TEXT_COLUMNS + " or " + TEXT_TEMPLATE + ", not both");
        }
        if (textTemplate == null && textColumns.isEmpty()) {
            throw new ConfigException(TEXT_COLUMNS, "is required (or " + TEXT_TEMPLATE + "): the columns that make the text");
        }
        String key = textTemplate != null ? TEXT_TEMPLATE : TEXT_COLUMNS;
        try {
            RowTemplate.of(textTemplate != null ? textTemplate : TableSource.templateOf(textColumns));
        } catch (InvalidInputException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
