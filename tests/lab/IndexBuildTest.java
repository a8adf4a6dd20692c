package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lesson 11's index build: ON ONLY invalid, each partition's built concurrently and attached, valid with the last. */
class IndexBuildTest {

    @Test
    void theParentIndexIsValidOnlyOnceEveryPartitionsIndexIsAttached() {
        try (var lesson = new Lesson11Fixture("lab_index_build_test")) {
            Node db = lesson.node();
            IndexBuild.State onOnly = IndexBuild.onOnly(db);
            assertFalse(onOnly.valid(), onOnly.verdict());
            assertEquals(0, onOnly.attached());
            assertEquals(12, onOnly.partitions());
            assertTrue(onOnly.definition().contains(" ON ONLY app.readings "), onOnly.definition());

            IndexBuild build = IndexBuild.partitionByPartition(db);
            assertEquals(12, build.steps().rowCount());
            assertEquals(11, build.attachesLeavingItInvalid());
            assertTrue(build.validOnlyOnceAllAttached(), build.steps().printAll());
            assertTrue(build.after().valid());
            assertEquals(12, build.after().attached());
            // the catalog agrees: every partition has its own index, attached to the parent's
            assertEquals(12L, ((Number) db.scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'app.readings_sensor_taken_idx'::regclass")).longValue());
            // a second pass finds the indexes there (IF NOT EXISTS) and attached: nothing changes
            IndexBuild again = IndexBuild.partitionByPartition(db);
            assertTrue(again.before().valid() && again.after().valid());
            assertFalse(again.validOnlyOnceAllAttached(), "already valid before: not the ON ONLY story");
        }
    }

    @Test
    void oneMissingPartitionIndexKeepsTheParentInvalid() {
        try (var lesson = new Lesson11Fixture("lab_index_build_missing_test")) {
            Node db = lesson.node();
            IndexBuild.onOnly(db);
            for (int m = 1; m <= 11; m++) {
                String name = String.format("readings_2024_%02d", m);
                var names = Map.of("partition", name, "partition_index", name + "_sensor_taken_idx");
                Sql.file("11-indexes/04_partition_index_concurrently.sql").withVariables(names).run(db, Map.of());
                Sql.file("11-indexes/05_attach_partition_index.sql").withVariables(names).run(db, Map.of());
            }
            IndexBuild.State state = IndexBuild.state(db);
            assertFalse(state.valid(), state.verdict());
            assertEquals(11, state.attached());
            assertEquals("app.readings_sensor_taken_idx is invalid, 11 of 12 partitions' indexes attached", state.verdict());
        }
    }
}
