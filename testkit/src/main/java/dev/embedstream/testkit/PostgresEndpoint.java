package dev.embedstream.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** How tests reach a PostgreSQL with pgvector. */
public record PostgresEndpoint(String jdbcUrl, String user, String password) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Creates a test's own schema (schema names come from {@link TestInfra#uniqueSchema}). */
    public void createSchema(String schema) throws SQLException {
        try (Connection c = connect(); var st = c.createStatement()) {
            st.execute("CREATE SCHEMA \"" + requireTestSchema(schema) + "\"");
        }
    }

    /** Drops a test's schema with everything in it (schema names come from {@link TestInfra#uniqueSchema}). */
    public void dropSchema(String schema) throws SQLException {
        try (Connection c = connect(); var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + requireTestSchema(schema) + "\" CASCADE");
        }
    }

    private static String requireTestSchema(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a test schema name: " + schema);
        }
        return schema;
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[" + jdbcUrl + " as " + user + "]";
    }
}
