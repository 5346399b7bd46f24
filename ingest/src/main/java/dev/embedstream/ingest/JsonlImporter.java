package dev.embedstream.ingest;

import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentCodec;
import dev.embedstream.contracts.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Publishes a JSON Lines stream, one document per line. Invalid lines are reported with their line
 * number and reason and never stop the valid ones; the report is returned only after Kafka
 * acknowledged (or refused) every line that was sent.
 */
public final class JsonlImporter {

    public static final int MAX_REPORTED_ERRORS = 1000;
    /** Longest line read: a document's text limit plus room for its JSON escaping and metadata. */
    public static final int MAX_LINE_BYTES = 2 * dev.embedstream.contracts.Document.MAX_TEXT_BYTES + 64 * 1024;

    private final DocumentPublisher publisher;
    private volatile Throwable brokerFailure;

    public JsonlImporter(DocumentPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Reads lines until the end of the stream. Lines without a {@code collection} field go to
     * {@code defaultCollection} (may be null: then such lines are rejected). {@code progress} is
     * told the number of lines read so far, every 1,000 lines.
     */
    public ImportReport publish(InputStream input, String defaultCollection, LongConsumer progress) {
        BufferedInputStream in = input instanceof BufferedInputStream b ? b : new BufferedInputStream(input, 1 << 16);
        AtomicLong published = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        List<ImportReport.LineError> errors = Collections.synchronizedList(new ArrayList<>());
        long line = 0;
        brokerFailure = null;
        try {
            for (byte[] text = nextLine(in); text != null; text = nextLine(in)) {
                line++;
                if (text == TOO_LONG) {
                    reject(line, "line longer than " + MAX_LINE_BYTES + " bytes", rejected, errors);
                } else if (!isBlank(text)) {
                    publishLine(line, text, defaultCollection, published, rejected, errors);
                }
                if (line % 1000 == 0) {
                    progress.accept(line);
                }
                requireBrokerHealthy(line, published.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading documents failed after line " + line, e);
        }
        publisher.flush();
        requireBrokerHealthy(line, published.get());
        progress.accept(line);
        List<ImportReport.LineError> sorted;
        synchronized (errors) {
            sorted = new ArrayList<>(errors);
        }
        sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
        return new ImportReport(line, published.get(), rejected.get(), sorted);
    }

    private static final byte[] TOO_LONG = new byte[0];

    /** Stops at the first sign that Kafka is unreachable instead of timing out once per line. */
    private void requireBrokerHealthy(long line, long published) {
        Throwable failure = brokerFailure;
        if (failure != null) {
            throw new IllegalStateException("Kafka is not accepting documents (" + failure.getMessage() + "); stopped at line "
                    + line + " with " + published + " published. Publishing is idempotent: run the import again.", failure);
        }
    }

    /** Lines as raw bytes, so a line that is not UTF-8 is reported as such instead of silently repaired. */
    private static byte[] nextLine(BufferedInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b = in.read();
        if (b < 0) {
            return null;
        }
        boolean tooLong = false;
        while (b >= 0 && b != '\n') {
            if (line.size() < MAX_LINE_BYTES) {
                line.write(b);
            } else {
                tooLong = true; // keep reading to the newline, so the next line starts where it should
            }
            b = in.read();
        }
        if (tooLong) {
            return TOO_LONG;
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private void publishLine(long line, byte[] text, String defaultCollection, AtomicLong published,
                             AtomicLong rejected, List<ImportReport.LineError> errors) {
        Document doc;
        try {
            doc = DocumentCodec.parse(text, null, defaultCollection);
        } catch (InvalidInputException e) {
            reject(line, e.getMessage(), rejected, errors);
            return;
        }
        publisher.publish(doc).whenComplete((ack, error) -> {
            if (error == null) {
                published.incrementAndGet();
            } else {
                if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
                    brokerFailure = error;
                }
                reject(line, "Kafka refused it: " + error.getMessage(), rejected, errors);
            }
        });
    }

    private static void reject(long line, String reason, AtomicLong rejected, List<ImportReport.LineError> errors) {
        rejected.incrementAndGet();
        synchronized (errors) {
            if (errors.size() < MAX_REPORTED_ERRORS) {
                errors.add(new ImportReport.LineError(line, reason));
            }
        }
    }
}
