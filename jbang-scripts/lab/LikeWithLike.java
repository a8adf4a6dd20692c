package lab;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The same question asked of a partitioned table and of the ordinary table it was made from (a migration keeps it
 * as {@code _old}, with the same rows and indexes): a comparison of like with like, where a table of different
 * queries side by side would compare query shapes instead of layouts.
 */
public final class LikeWithLike {
    private LikeWithLike() {}

    /** EXPLAIN ANALYZE of a lesson's query file with {@code table} replaced by {@code original} (whole names only). */
    public static PlanSummary onOriginal(Node node, String file, String table, String original) {
        Sql sql = Sql.file(file);
        String text = Pattern.compile(Pattern.quote(table) + "\\b(?!_)").matcher(sql.text()).replaceAll(Matcher.quoteReplacement(original));
        if (text.equals(sql.text())) throw new IllegalArgumentException(file + " does not name " + table);
        return Explain.analyze(node, Sql.text(file + " on " + original, text));
    }

    /** One row per question: partitions scanned, then rows read and buffers on the original and on the partitioned table. */
    public static Table compare(String title, List<String> questions, List<PlanSummary> original, List<PlanSummary> partitioned) {
        if (questions.size() != original.size() || questions.size() != partitioned.size()) {
            throw new IllegalArgumentException("one plan on each table per question");
        }
        StringColumn question = StringColumn.create("question");
        StringColumn scanned = StringColumn.create("partitions scanned");
        DoubleColumn rowsOriginal = DoubleColumn.create("rows read: original");
        DoubleColumn rowsPartitioned = DoubleColumn.create("rows read: partitioned");
        DoubleColumn buffersOriginal = DoubleColumn.create("buffers: original");
        DoubleColumn buffersPartitioned = DoubleColumn.create("buffers: partitioned");
        for (int i = 0; i < questions.size(); i++) {
            PlanSummary o = original.get(i);
            PlanSummary p = partitioned.get(i);
            question.append(questions.get(i));
            scanned.append(p.partitionsScanned() + " of " + p.partitionsTotal());
            rowsOriginal.append(o.rowsRead());
            rowsPartitioned.append(p.rowsRead());
            buffersOriginal.append(o.sharedBuffers());
            buffersPartitioned.append(p.sharedBuffers());
        }
        return Table.create(title, question, scanned, rowsOriginal, rowsPartitioned, buffersOriginal, buffersPartitioned);
    }
}
