package dev.embedstream.ingest;

/** Ingest could not go on: the source or Kafka failed; the message says which and where. */
public class IngestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
