package dev.embedstream.maintenance;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.maintenance.internal.HealthQueries;
import dev.embedstream.maintenance.internal.HealthQueries.CollectionState;
import dev.embedstream.maintenance.internal.HealthWarnings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Index health at start-up: the pgvector and server versions and what they mean, and every HNSW
 * index of the collections' vector tables with its validity, size, table churn and build options.
 * Finds the invalid indexes a failed or interrupted {@code CREATE INDEX CONCURRENTLY} leaves behind
 * (pgvector#925, #569) and drops them. Only indexes of the vector tables named in the schema's
 * {@code collections} catalog are ever looked at or dropped.
 */
public final class IndexHealth {

    private static final Logger log = LoggerFactory.getLogger(IndexHealth.class);

    private final DataSource dataSource;
    private final String schema;
    private final HealthQueries queries;

    /** @throws InvalidInputException when {@code schema} is not a safe SQL identifier */
    public IndexHealth(DataSource dataSource, String schema) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        SqlIdentifiers.quote(schema);
        this.schema = schema;
        this.queries = new HealthQueries(schema);
    }

    /** Reads versions and indexes; changes nothing. */
    public HealthReport check() {
        try (Connection c = dataSource.getConnection()) {
            PgvectorVersion pgvector = queries.pgvector(c);
            if (pgvector == null) {
                throw new MaintenanceException("the vector extension is not installed in the database of schema '"
                        + schema + "'; run `CREATE EXTENSION vector` as a superuser (scripts/pg.sh does)", null);
            }
            String serverVersion = queries.serverVersion(c);
            List<String> warnings = new ArrayList<>(HealthWarnings.forVersion(pgvector));
            Optional<List<CollectionState>> collections = queries.collections(c);
            if (collections.isEmpty()) {
                warnings.add(HealthWarnings.noCatalog(schema));
                return new HealthReport(pgvector, serverVersion, List.of(), warnings);
            }
            for (CollectionState s : collections.get()) {
                if (!s.tableExists()) {
                    warnings.add(HealthWarnings.missingTable(s.name(), s.vectorTable()));
                } else if (!s.indexExists()) {
                    warnings.add(HealthWarnings.missingIndex(s.name(), s.vectorTable(), s.indexName()));
                }
            }
            List<IndexReport> indexes = queries.indexes(c);
            indexes.stream().filter(IndexReport::isInvalid).map(HealthWarnings::invalid).forEach(warnings::add);
            return new HealthReport(pgvector, serverVersion, indexes, warnings);
        } catch (SQLException e) {
            throw failure("cannot check the indexes of schema '" + schema + "'", e);
        } catch (IllegalArgumentException e) {
            throw new MaintenanceException("cannot check the indexes of schema '" + schema + "': " + e.getMessage(), e);
        }
    }

    /** The indexes of the collections' vector tables left invalid by a failed build. */
    public List<IndexReport> invalidIndexes() {
        try (Connection c = dataSource.getConnection()) {
            return queries.indexes(c).stream().filter(IndexReport::isInvalid).toList();
        } catch (SQLException e) {
            throw failure("cannot list the invalid indexes of schema '" + schema + "'", e);
        }
    }

    /**
     * Drops every invalid index of the collections' vector tables with
     * {@code DROP INDEX CONCURRENTLY IF EXISTS}, so writes and reads go on meanwhile. An index whose
     * table has a build running is left alone: it may be that build's own index. Returns how many
     * indexes were dropped.
     */
    public int dropInvalid() {
        int dropped = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // DROP INDEX CONCURRENTLY cannot run inside a transaction block
            for (IndexReport r : queries.indexes(c)) {
                if (!r.isInvalid()) {
                    continue;
                }
                try {
                    queries.dropConcurrently(c, r.index());
                } catch (InvalidInputException e) {
                    log.warn("invalid index {} on {} not dropped: its name is not a safe SQL identifier",
                            r.index(), r.table());
                    continue;
                } catch (SQLException e) {
                    throw failure("cannot drop invalid index '" + r.index() + "' on " + schema + "." + r.table()
                            + " (" + dropped + " dropped before)", e);
                }
                dropped++;
                log.info("dropped invalid index {} on {}.{} (collection {})", r.index(), schema, r.table(),
                        r.collection());
            }
            return dropped;
        } catch (SQLException e) {
            throw failure("cannot drop the invalid indexes of schema '" + schema + "' (" + dropped
                    + " dropped before)", e);
        }
    }

    private static MaintenanceException failure(String what, SQLException e) {
        return new MaintenanceException(what + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
    }
}
