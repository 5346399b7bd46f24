package dev.embedstream.app.faults;

import dev.embedstream.testkit.PostgresEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A login role of a test's own with a random password: the shared test user's password is the word
 * "embedstream", found in every log, so it could not show a leak. Dropped with what it owns.
 */
final class SecretRole implements AutoCloseable {

    private final PostgresEndpoint admin;
    private final String role;
    private final PostgresEndpoint endpoint;

    SecretRole(PostgresEndpoint admin) throws SQLException {
        this.admin = admin;
        this.role = "es_fault_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        try (Connection c = admin.connect(); Statement st = c.createStatement()) {
            // DDL takes no bind parameters; both values are generated above, not input
            st.execute("CREATE ROLE \"" + role + "\" LOGIN PASSWORD '" + password + "'");
            st.execute("GRANT \"" + role + "\" TO CURRENT_USER");
            try (var rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                st.execute("GRANT CONNECT, CREATE ON DATABASE \"" + rs.getString(1) + "\" TO \"" + role + "\"");
            }
        }
        this.endpoint = new PostgresEndpoint(admin.jdbcUrl(), role, password);
    }

    /** The database as this role sees it. */
    PostgresEndpoint endpoint() {
        return endpoint;
    }

    String password() {
        return endpoint.password();
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin.connect(); Statement st = c.createStatement()) {
            st.execute("DROP OWNED BY \"" + role + "\"");
            st.execute("DROP ROLE \"" + role + "\"");
        }
    }
}
