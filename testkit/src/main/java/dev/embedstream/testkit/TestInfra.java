package dev.embedstream.testkit;

import dev.embedstream.devservices.LocalKafka;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Real Kafka and PostgreSQL for integration tests, shared by all tests of one JVM. Explicit
 * endpoints from the environment win; otherwise Testcontainers when a Docker engine answers;
 * otherwise the local services: an in-JVM KRaft broker and the cluster of {@code scripts/pg.sh}.
 * The same test code runs against each.
 */
public final class TestInfra {

    public static final String KAFKA_ENV = "EMBEDSTREAM_TEST_KAFKA_BOOTSTRAP_SERVERS";
    public static final String JDBC_URL_ENV = "EMBEDSTREAM_TEST_JDBC_URL";
    public static final String DEFAULT_LOCAL_JDBC_URL = "jdbc:postgresql://127.0.0.1:54329/embedstream";
    public static final String DEFAULT_USER = "embedstream";
    public static final String DEFAULT_PASSWORD = "embedstream";

    private static final Logger log = LoggerFactory.getLogger(TestInfra.class);
    private static final String KAFKA_IMAGE = "apache/kafka:4.0.0";
    private static final String PGVECTOR_IMAGE = "pgvector/pgvector:pg15";

    private static String kafka;
    private static PostgresEndpoint postgres;
    private static Boolean docker;

    private TestInfra() {
    }

    /** Bootstrap servers of a running broker. */
    public static synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            kafka = startKafka();
        }
        return kafka;
    }

    /** A reachable PostgreSQL with the vector extension. */
    public static synchronized PostgresEndpoint postgres() {
        if (postgres == null) {
            postgres = startPostgres();
            requireReachable(postgres);
        }
        return postgres;
    }

    /** Whether tests use the project-local cluster of {@code scripts/pg.sh}, which a test may stop and start. */
    public static synchronized boolean usesLocalPostgres() {
        return DEFAULT_LOCAL_JDBC_URL.equals(postgres().jdbcUrl());
    }

    /** A fresh schema name, so tests sharing one database never see each other's tables. */
    public static String uniqueSchema(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** A fresh topic name, so tests sharing one broker never see each other's records. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String startKafka() {
        String configured = System.getenv(KAFKA_ENV);
        if (configured != null && !configured.isBlank()) {
            log.info("tests use the Kafka cluster at {}", configured);
            return configured;
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
            container.start();
            log.info("tests use a Testcontainers Kafka at {}", container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        LocalKafka local = LocalKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(local::close, "local-kafka-stop"));
        log.info("tests use an in-JVM Kafka broker at {}", local.bootstrapServers());
        return local.bootstrapServers();
    }

    private static PostgresEndpoint startPostgres() {
        String configured = System.getenv(JDBC_URL_ENV);
        if (configured != null && !configured.isBlank()) {
            return new PostgresEndpoint(configured, envOr("EMBEDSTREAM_TEST_DB_USER", DEFAULT_USER),
                    envOr("EMBEDSTREAM_TEST_DB_PASSWORD", DEFAULT_PASSWORD));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer(
                    DockerImageName.parse(PGVECTOR_IMAGE).asCompatibleSubstituteFor("postgres"));
            container.start();
            PostgresEndpoint endpoint = new PostgresEndpoint(container.getJdbcUrl(), container.getUsername(),
                    container.getPassword());
            createExtension(endpoint);
            return endpoint;
        }
        return new PostgresEndpoint(DEFAULT_LOCAL_JDBC_URL, DEFAULT_USER, DEFAULT_PASSWORD);
    }

    private static void createExtension(PostgresEndpoint endpoint) {
        try (Connection c = endpoint.connect(); var st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the vector extension in " + endpoint, e);
        }
    }

    private static void requireReachable(PostgresEndpoint endpoint) {
        try (Connection c = endpoint.connect(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            if (!rs.next()) {
                throw new IllegalStateException("the vector extension is not installed in " + endpoint);
            }
            log.info("tests use PostgreSQL at {} with pgvector {}", endpoint.jdbcUrl(), rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + endpoint
                    + " (no Docker engine here; start the local cluster with `scripts/pg.sh start`, or run `make test`)", e);
        }
    }

    private static synchronized boolean dockerAvailable() {
        if (docker == null) {
            boolean disabled = "false".equalsIgnoreCase(System.getenv("EMBEDSTREAM_TEST_DOCKER"));
            docker = !disabled && probeDocker();
        }
        return docker;
    }

    private static boolean probeDocker() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String envOr(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
