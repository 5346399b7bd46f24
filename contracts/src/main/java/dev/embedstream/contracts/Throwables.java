package dev.embedstream.contracts;

/** The deepest cause of a failure: where a wrapped client error (Kafka's, JDBC's, the JDK's) says what went wrong. */
public final class Throwables {

    private Throwables() {
    }

    /** The last throwable of {@code e}'s cause chain; {@code e} itself when it has no cause. */
    public static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
