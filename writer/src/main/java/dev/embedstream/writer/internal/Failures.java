package dev.embedstream.writer.internal;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.SQLRecoverableException;
import java.util.function.Predicate;

/** The one place that decides whether a database failure is worth retrying. */
public final class Failures {

    private static final String QUERY_CANCELED = "57014";

    private Failures() {
    }

    /**
     * Retriable: the connection or server went away (08, 57P), resources ran out (53), a
     * serialization or deadlock abort (40), a unique violation from two writers racing (23505), a
     * lock or statement timeout or an operator's cancel (55P03, 57014: the data was never the
     * problem, so it must not be dead-lettered), or a pool timeout. Everything else (bad data, bad
     * SQL) will fail the same way again.
     */
    public static boolean isRetriable(Throwable failure) {
        return anyCause(failure, t -> t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || (t instanceof SQLException sql && retriableState(sql.getSQLState()))
                || t instanceof java.io.IOException || t instanceof org.apache.kafka.common.errors.RetriableException
                || t instanceof java.util.concurrent.TimeoutException);
    }

    /**
     * The server cancelled a statement (a statement timeout, an operator's cancel): retriable, but a
     * whole batch cancelled this way is better written again in smaller pieces, which may each finish
     * in time, than retried whole for ever.
     */
    public static boolean isCancelled(Throwable failure) {
        return anyCause(failure, t -> t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState()));
    }

    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean retriableState(String state) {
        if (state == null) {
            return false;
        }
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.startsWith("40") || state.equals("23505") || state.equals("55P03")
                || state.equals(QUERY_CANCELED);
    }
}
