package dev.embedstream.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.writer.WriterException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void shouldRetryAStatementTimeoutOrCancelRatherThanDeadLetterTheBatch() {
        // Given the server cancelled a write (statement_timeout, or an operator's pg_cancel_backend)
        WriterException e = new WriterException("writing a batch of 500 changes failed",
                new SQLException("canceling statement due to statement timeout", "57014"));

        // Then it is retried: the documents were never the problem
        assertThat(Failures.isRetriable(e)).isTrue();
    }

    @Test
    void shouldTellACancelFromOtherRetriableFailures() {
        assertThat(Failures.isCancelled(new WriterException("w", new SQLException("timeout", "57014")))).isTrue();
        assertThat(Failures.isCancelled(new SQLException("deadlock", "40P01"))).isFalse();
        assertThat(Failures.isCancelled(new SQLException("bad", "22P02"))).isFalse();
    }

    @Test
    void shouldRetryLostConnectionsRacesAndLockTimeouts() {
        assertThat(Failures.isRetriable(new SQLException("gone", "08006"))).isTrue();
        assertThat(Failures.isRetriable(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(Failures.isRetriable(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(Failures.isRetriable(new SQLException("duplicate key", "23505"))).isTrue();
        assertThat(Failures.isRetriable(new SQLException("lock timeout", "55P03"))).isTrue();
    }

    @Test
    void shouldNotRetryWhatWillFailTheSameWayAgain() {
        assertThat(Failures.isRetriable(new SQLException("invalid input syntax", "22P02"))).isFalse();
        assertThat(Failures.isRetriable(new SQLException("value too long", "22001"))).isFalse();
        assertThat(Failures.isRetriable(new SQLException("no state"))).isFalse();
    }
}
