package lab;

import tech.tablesaw.api.Table;

/**
 * Lesson 11's steps whose outcome depends on the server's major ({@link MajorFeature}): each tries the statement on
 * this server and reads the catalogs before and after, so the lesson claims what happened here: the feature at work
 * where the major has it, the refusal and nothing changed where it has not.
 */
public final class ByMajor {
    private ByMajor() {}

    /** What ANALYZE ONLY app.readings did: the parent's statistics (pg_stats rows) and its partitions' ANALYZE count. */
    public record AnalyzeOnly(int major, boolean available, Attempt attempt, long parentStatisticsBefore,
                              long parentStatisticsAfter, long partitionAnalyzesBefore, long partitionAnalyzesAfter) {
        public String report() {
            return MajorFeature.ANALYZE_ONLY.say0(major) + "\n" + attempt.report()
                    + "\nstatistics of app.readings as a whole: " + parentStatisticsBefore + " -> " + parentStatisticsAfter
                    + " columns; manual ANALYZEs of its partitions: " + partitionAnalyzesBefore + " -> " + partitionAnalyzesAfter;
        }
    }

    public static AnalyzeOnly analyzeOnly(Node node) {
        Table before = node.run("11-indexes/q_readings_statistics.sql").lastTable();
        Attempt attempt = Attempt.run(node, "11-indexes/16_analyze_only.sql");
        Table after = node.run("11-indexes/q_readings_statistics.sql").lastTable();
        int major = MajorFeature.major(node);
        return new AnalyzeOnly(major, major >= MajorFeature.ANALYZE_ONLY.since(), attempt,
                Tables.number(before, "parent_statistics", 0), Tables.number(after, "parent_statistics", 0),
                Tables.number(before, "partition_analyzes", 0), Tables.number(after, "partition_analyzes", 0));
    }

    /** What adding readings_sensor_fk NOT VALID did, and then VALIDATE CONSTRAINT (run only where it was added). */
    public record NotValidForeignKey(int major, boolean available, Attempt attempt, Table afterAdd, Attempt validate,
                                     Table afterValidate) {
        /** Constraints (the parent's and each partition's) not validated after the ADD. */
        public long notValidatedAfterAdd() {
            return afterAdd.booleanColumn("validated").isFalse().size();
        }

        /** All of them validated at the end: after VALIDATE where it ran, or still step 4's key where refused. */
        public boolean allValidatedAtTheEnd() {
            Table last = afterValidate != null ? afterValidate : afterAdd;
            return last.rowCount() > 0 && last.booleanColumn("validated").isTrue().size() == last.rowCount();
        }

        public int constraints() {
            return afterAdd.rowCount();
        }

        public String report() {
            return MajorFeature.NOT_VALID_FOREIGN_KEY.say0(major) + "\n" + attempt.report()
                    + (validate == null ? "" : "\nVALIDATE CONSTRAINT: " + validate.report());
        }
    }

    public static NotValidForeignKey notValidForeignKey(Node node) {
        Attempt attempt = Attempt.run(node, "11-indexes/17_foreign_key_not_valid.sql");
        Table afterAdd = node.run("11-indexes/q_foreign_key.sql").lastTable()
                .setName("readings_sensor_fk after " + (attempt.accepted() ? "the ADD ... NOT VALID" : "the refused ADD"));
        Attempt validate = attempt.accepted() ? Attempt.run(node, "11-indexes/18_validate_foreign_key.sql") : null;
        Table afterValidate = validate == null ? null : node.run("11-indexes/q_foreign_key.sql").lastTable();
        int major = MajorFeature.major(node);
        return new NotValidForeignKey(major, major >= MajorFeature.NOT_VALID_FOREIGN_KEY.since(), attempt, afterAdd, validate, afterValidate);
    }

}
