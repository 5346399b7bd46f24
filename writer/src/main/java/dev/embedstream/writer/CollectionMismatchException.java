package dev.embedstream.writer;

import dev.embedstream.contracts.InvalidInputException;

/** Vectors of another model (or dimension) than the collection's: refused, never mixed into its index. */
public class CollectionMismatchException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    public CollectionMismatchException(String message) {
        super(message);
    }
}
