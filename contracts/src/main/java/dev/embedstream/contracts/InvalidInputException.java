package dev.embedstream.contracts;

/** Input that can never succeed as it is (bad JSON, missing id, bad name): reject it, never retry it. */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
