package dev.embedstream.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.contracts.IndexEvent;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.MaintenanceCommand.Action;
import dev.embedstream.contracts.Topics;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaintenanceTopologyTest {

    private static final long MINUTE = 60_000;

    private TopologyTestDriver driver;
    private TestInputTopic<String, IndexEvent> events;
    private TestOutputTopic<String, MaintenanceCommand> commands;
    private long now = 1_700_000_000_000L;

    @BeforeEach
    void open() {
        MaintenanceConfig config = MaintenanceConfig.defaults().withMinRows(1_000);
        StreamsBuilder builder = MaintenanceTopology.build(new StreamsBuilder(), Topics.INDEX_EVENTS,
                Topics.MAINTENANCE_COMMANDS, new MaintenancePolicy(config));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "maintenance-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        events = driver.createInputTopic(Topics.INDEX_EVENTS.name(), Topics.INDEX_EVENTS.key().serializer(),
                Topics.INDEX_EVENTS.value().serializer());
        commands = driver.createOutputTopic(Topics.MAINTENANCE_COMMANDS.name(),
                Topics.MAINTENANCE_COMMANDS.key().deserializer(), Topics.MAINTENANCE_COMMANDS.value().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldAskForAReindexOnceTheRowsHaveDoubledSinceTheLastBuild() {
        // Given an index sampled at 5,000 rows (m 16: no tier change below 100K)
        send(stats(5_000, 0));
        // When 4,999 rows arrive, then nothing; when one more arrives, a reindex
        send(write(4_999, 0, 0));
        assertThat(commands.isEmpty()).isTrue();
        send(write(1, 0, 0));
        MaintenanceCommand c = commands.readValue();
        assertThat(c.action()).isEqualTo(Action.REINDEX);
        assertThat(c.reason()).contains("rows grew from 5,000 to 10,000");
        assertThat(c.rows()).isEqualTo(10_000);
    }

    @Test
    void shouldAskForAReindexWhenChurnPassesTwentyPercent() {
        // Given an index of 10,000 rows
        send(stats(10_000, 0));
        // When 2,000 rows are replaced, then nothing; one more deleted row passes 20%
        send(write(2_000, 2_000, 0));
        assertThat(commands.isEmpty()).isTrue();
        send(write(0, 0, 1));
        MaintenanceCommand c = commands.readValue();
        assertThat(c.action()).isEqualTo(Action.REINDEX);
        assertThat(c.reason()).contains("2,001 rows updated or deleted");
    }

    @Test
    void shouldNotAskTwiceUntilDoneOrTheCooldownPassed() {
        // Given a reindex asked for
        send(stats(1_000, 0));
        send(write(1_000, 0, 0));
        assertThat(commands.readValuesToList()).hasSize(1);
        // When more writes arrive within the cooldown, then no second command
        send(write(10, 0, 0));
        assertThat(commands.isEmpty()).isTrue();
        // When the cooldown has passed with the work still not done, it is asked again
        now += MaintenanceConfig.DEFAULT_COOLDOWN.toMillis() + MINUTE;
        send(write(10, 0, 0));
        assertThat(commands.readValuesToList()).extracting(MaintenanceCommand::action).containsExactly(Action.REINDEX);
    }

    @Test
    void shouldStartCountingAgainFromTheRowsAtTheLastBuild() {
        // Given a reindex asked for at 2,000 rows, and done
        send(stats(1_000, 0));
        send(write(1_000, 0, 0));
        commands.readValuesToList();
        send(IndexEvent.done("docs", 1, "vec_docs_1_hnsw", "vec_docs_1", "REINDEX", 2_000, 0, 16, now));
        // When 1,999 more rows arrive, then nothing: the next reindex is at 4,000
        send(write(1_999, 0, 0));
        assertThat(commands.isEmpty()).isTrue();
        send(write(1, 0, 0));
        assertThat(commands.readValue().reason()).contains("from 2,000 to 4,000");
    }

    @Test
    void shouldRebuildWithTheNextPresetWhenTheRowCountCrossesATier() {
        // Given an index built with m 16 at 900,000 rows
        send(stats(900_000, 0));
        // When it passes 1,000,000 rows
        send(write(100_000, 0, 0));
        // Then it is rebuilt with m 32 and ef_construction 128
        MaintenanceCommand c = commands.readValue();
        assertThat(c.action()).isEqualTo(Action.REBUILD);
        assertThat(c.m()).isEqualTo(32);
        assertThat(c.efConstruction()).isEqualTo(128);
    }

    @Test
    void shouldVacuumWhenDeadTuplesPassTheThreshold() {
        // Given a sample of 50,000 rows with 5,001 dead tuples (above 10% and 1,000)
        send(stats(50_000, 1_000));
        assertThat(commands.isEmpty()).isTrue();
        send(stats(50_000, 5_001));
        // Then a vacuum is asked for
        assertThat(commands.readValue().action()).isEqualTo(Action.VACUUM);
    }

    @Test
    void shouldIgnoreSmallIndexes() {
        // Given an index of 100 rows that grows to 900 (below the 1,000-row minimum)
        send(stats(100, 0));
        send(write(800, 0, 0));
        // Then nothing is asked
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepIndexesApart() {
        // Given two indexes, only one of which doubles
        send(stats(1_000, 0));
        send(new IndexEvent(IndexEvent.Type.STATS, "other", 1, "vec_other_1_hnsw", "vec_other_1", 0, 0, 0, 1_000, 0,
                16, null, now));
        send(write(1_000, 0, 0));
        // Then the command names that one
        List<MaintenanceCommand> out = commands.readValuesToList();
        assertThat(out).extracting(MaintenanceCommand::collection).containsExactly("docs");
    }

    private void send(IndexEvent e) {
        events.pipeInput(e.key(), e);
        now += 1000;
    }

    private IndexEvent stats(long rows, long dead) {
        return IndexEvent.stats("docs", 1, "vec_docs_1_hnsw", "vec_docs_1", rows, dead, 16, now);
    }

    private IndexEvent write(long inserted, long updated, long deleted) {
        return IndexEvent.write("docs", 1, "vec_docs_1_hnsw", "vec_docs_1", inserted, updated, deleted, now);
    }
}
