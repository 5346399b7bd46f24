package dev.embedstream.ingest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class SourceTableValidationIT {

    private PostgresEndpoint pg;
    private String schema;
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void open() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("src");
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(pg.jdbcUrl());
        dataSource.setUser(pg.user());
        dataSource.setPassword(pg.password());
    }

    @AfterEach
    void close() throws SQLException {
        pg.dropSchema(schema);
    }

    @Test
    void shouldAcceptAPrimaryKeyAndANumericChangeColumn() throws SQLException {
        // Given a table keyed by its primary key, with a bigint change counter
        sql("CREATE TABLE \"" + schema + "\".ok (id bigint PRIMARY KEY, body text, rev bigint)");
        // When it is validated, then it passes
        assertThatCode(() -> TableBackfill.validate(dataSource, source("ok", "id", "rev"))).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAKeyColumnThatAllowsNull() throws SQLException {
        // Given a unique key column that allows NULL
        sql("CREATE TABLE \"" + schema + "\".loose (code text UNIQUE, body text)");
        // When it is validated, then the message says how to fix it
        assertThatThrownBy(() -> TableBackfill.validate(dataSource, source("loose", "code", null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key column code of loose allows NULL")
                .hasMessageContaining("SET NOT NULL");
    }

    @Test
    void shouldRefuseAKeyThatIsNotUnique() throws SQLException {
        // Given a key column with no unique index
        sql("CREATE TABLE \"" + schema + "\".dup (id int NOT NULL, body text)");
        // When it is validated, then it is refused
        assertThatThrownBy(() -> TableBackfill.validate(dataSource, source("dup", "id", null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not unique");
    }

    @Test
    void shouldNameAMissingColumn() throws SQLException {
        // Given a template that reads a column the table lacks
        sql("CREATE TABLE \"" + schema + "\".thin (id int PRIMARY KEY, body text)");
        // When it is validated, then the column is named
        assertThatThrownBy(() -> TableBackfill.validate(dataSource,
                new TableSource(schema, "thin", "id", "{title}\n{body}", null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no column title");
    }

    private TableSource source(String table, String key, String updatedAt) {
        return new TableSource(schema, table, key, "{body}", updatedAt);
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            st.execute(statement);
        }
    }
}
