package dev.embedstream.writer;

/** A database step of the writer failed; the message says which step and for which collection. */
public class WriterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WriterException(String message, Throwable cause) {
        super(message, cause);
    }
}
