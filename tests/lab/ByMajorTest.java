package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Lesson 11's features of later majors on the build's server (-Dpg.major=16, 17 or 18): the feature at work where the
 * major has it, the refusal and nothing changed where it has not; and the majors each arrived in.
 */
class ByMajorTest {

    @Test
    void theMajorsFromTheReleaseNotes() {
        assertEquals(17, MajorFeature.EXPLAIN_MEMORY.since());
        assertEquals(18, MajorFeature.ANALYZE_ONLY.since());
        assertEquals(18, MajorFeature.NOT_VALID_FOREIGN_KEY.since());
        assertEquals("PostgreSQL 17 has no ANALYZE ONLY on a partitioned table: it arrived in 18, so this server refuses it.",
                MajorFeature.ANALYZE_ONLY.say0(17));
        assertEquals("PostgreSQL 18 has ANALYZE ONLY on a partitioned table (since 18).", MajorFeature.ANALYZE_ONLY.say0(18));
    }

    @Test
    void analyzeOnlyAndNotValidForeignKeysAsThisMajorHasThem() {
        try (var lesson = new Lesson11Fixture("lab_by_major_test")) {
            Node db = lesson.node();
            int major = MajorFeature.major(db);
            assertTrue(major >= 16 && major <= 18, "a supported major: " + major);
            assertEquals(major, Integer.parseInt(db.serverVersion().replaceAll("^(\\d+).*", "$1")));

            var analyzed = ByMajor.analyzeOnly(db);
            assertEquals(major >= 18, analyzed.available());
            assertEquals(0, analyzed.parentStatisticsBefore());
            assertEquals(analyzed.partitionAnalyzesBefore(), analyzed.partitionAnalyzesAfter(), "no partition analyzed either way");
            if (analyzed.available()) {
                assertTrue(analyzed.attempt().accepted(), analyzed.report());
                assertEquals(4, analyzed.parentStatisticsAfter(), "one pg_stats row per column of app.readings");
            } else {
                assertEquals("42601", analyzed.attempt().sqlState(), analyzed.report());
                assertEquals(0, analyzed.parentStatisticsAfter());
            }

            assertTrue(Attempt.run(db, "11-indexes/09_foreign_key.sql").accepted());
            var notValid = ByMajor.notValidForeignKey(db);
            assertEquals(major >= 18, notValid.available());
            assertEquals(13, notValid.constraints(), "the parent's key and its 12 partitions'");
            assertTrue(notValid.allValidatedAtTheEnd(), notValid.report());
            if (notValid.available()) {
                assertTrue(notValid.attempt().accepted(), notValid.report());
                assertEquals(13, notValid.notValidatedAfterAdd());
                assertTrue(notValid.validate().accepted(), notValid.report());
            } else {
                assertEquals("42809", notValid.attempt().sqlState(), notValid.report());
                assertEquals(0, notValid.notValidatedAfterAdd(), "the transaction kept the validated key");
                assertNull(notValid.validate());
            }
        }
    }
}
