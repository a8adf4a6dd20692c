package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A statement the server refuses, with SQLSTATE, message and DETAIL; one it accepts, with its result. */
class AttemptTest {

    @Test
    void aRefusalCarriesTheServersWordsAndChangesNothing() {
        try (var lesson = new Lesson11Fixture("lab_attempt_test")) {
            Node db = lesson.node();
            Attempt unique = Attempt.run(db, "11-indexes/06_unique_without_key.sql");
            assertTrue(unique.refused());
            assertEquals("0A000", unique.sqlState());
            assertEquals("unique constraint on partitioned table must include all partitioning columns", unique.message());
            assertEquals("UNIQUE constraint on table \"readings\" lacks column \"taken_at\" which is part of the partition key.", unique.detail());
            assertTrue(unique.report().startsWith("ERROR:  unique constraint"), unique.report());
            assertTrue(unique.report().contains("\nDETAIL:  UNIQUE constraint"), unique.report());
            assertNull(unique.result());
            assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'readings_id_key'")).longValue());

            Attempt pk = Attempt.run(db, "11-indexes/07_primary_key_with_key.sql");
            assertTrue(pk.accepted());
            assertFalse(pk.refused());
            assertEquals("11-indexes/07_primary_key_with_key.sql: accepted", pk.report());
            assertEquals(1L, ((Number) db.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'readings_pkey'")).longValue());

            assertTrue(Attempt.run(db, "11-indexes/09_foreign_key.sql").accepted());
            Attempt orphan = Attempt.run(db, "11-indexes/10_orphan_reading.sql");
            assertEquals("23503", orphan.sqlState());
            assertTrue(orphan.message().contains("violates foreign key constraint \"readings_sensor_fk\""), orphan.message());
            assertEquals("Key (sensor_id)=(9999) is not present in table \"sensors\".", orphan.detail());
            assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM app.readings WHERE sensor_id = 9999")).longValue());
        }
    }
}
