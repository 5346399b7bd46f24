package dev.embedstream.client;

/**
 * Kafka's acknowledgement of one document or delete: it is stored by every in-sync replica and will be
 * embedded. A dead letter about it names the same topic, partition and offset in its
 * {@code embedstream.dlq.source.*} headers.
 *
 * @param collection the document's collection
 * @param id         the document's id
 * @param delete     true for a delete (a tombstone), false for a document
 * @param topic      the documents topic, with the deployment's prefix
 * @param partition  the partition the document's key maps to
 * @param offset     the record's offset in that partition
 */
public record PublishAck(String collection, String id, boolean delete, String topic, int partition, long offset) {
}
