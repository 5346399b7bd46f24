package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.app.cli.RunCommand;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.writer.WriterConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ComposeConsistencyTest {

    @Test
    void shouldOnlySetEnvironmentVariablesTheConfigReads() throws Exception {
        // Given the variables docker-compose.yml sets for the app
        String compose = Files.readString(projectRoot().resolve("docker-compose.yml"));
        Set<String> used = new HashSet<>();
        Matcher m = Pattern.compile("EMBEDSTREAM_[A-Z0-9_]+").matcher(compose);
        while (m.find()) {
            used.add(m.group());
        }
        // Then each is a key one of the config records reads
        Set<String> known = new HashSet<>();
        for (Class<?> type : new Class<?>[] {WriterConfig.class, EmbedderConfig.class, OpenAiConfig.class,
                KafkaSettings.class, RunCommand.class, dev.embedstream.ingest.HttpIngestConfig.class,
                dev.embedstream.ingest.DebeziumSourceConfig.class, dev.embedstream.maintenance.MaintenanceConfig.class}) {
            known.addAll(keysOf(type));
        }
        assertThat(used).isNotEmpty();
        assertThat(known).containsAll(used);
    }

    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("project root with docker-compose.yml").isNotNull();
        return dir;
    }

    private static Set<String> keysOf(Class<?> type) throws IllegalAccessException {
        Set<String> keys = new HashSet<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                Object value = f.get(null);
                if (value instanceof String s && s.startsWith("EMBEDSTREAM_")) {
                    keys.add(s);
                }
            }
        }
        return keys;
    }
}
