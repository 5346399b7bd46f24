package dev.embedstream.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** How tests reach a PostgreSQL with pgvector. */
public record PostgresEndpoint(String jdbcUrl, String user, String password) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[" + jdbcUrl + " as " + user + "]";
    }
}
