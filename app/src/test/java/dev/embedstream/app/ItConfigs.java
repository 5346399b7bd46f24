package dev.embedstream.app;

import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.writer.WriterConfig;
import java.util.HashMap;
import java.util.Map;

/** Settings the integration tests share: the test database, a schema and a consumer group of their own. */
final class ItConfigs {

    private ItConfigs() {
    }

    /** Writer settings as environment entries, for tests that add more keys before reading them. */
    static Map<String, String> writerEnv(PostgresEndpoint pg, String schema, String groupId) {
        Map<String, String> env = new HashMap<>();
        env.put(WriterConfig.JDBC_URL, pg.jdbcUrl());
        env.put(WriterConfig.USER, pg.user());
        env.put(WriterConfig.PASSWORD, pg.password());
        env.put(WriterConfig.SCHEMA, schema);
        env.put(WriterConfig.GROUP_ID, groupId);
        return env;
    }

    static WriterConfig writer(PostgresEndpoint pg, String schema, String groupId) {
        return WriterConfig.from(dev.embedstream.contracts.ConfigLookup.of(writerEnv(pg, schema, groupId)));
    }
}
