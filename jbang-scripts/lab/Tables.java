package lab;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** JDBC rows into Tablesaw tables, with PostgreSQL's own types (uuid, jsonb, timestamptz) kept readable. */
public final class Tables {
    private Tables() {}

    public static Table from(ResultSet rs, String name) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        List<Column<?>> cols = new ArrayList<>();
        for (int i = 1; i <= columns; i++) cols.add(columnFor(md, i));
        Table table = Table.create(name);
        cols.forEach(table::addColumns);
        while (rs.next()) {
            for (int i = 1; i <= columns; i++) append(cols.get(i - 1), rs, i);
        }
        return table;
    }

    public static Table updateCount(long count) {
        return Table.create("result", LongColumn.create("rows_affected", new long[] {count}));
    }

    private static Column<?> columnFor(ResultSetMetaData md, int i) throws SQLException {
        String label = md.getColumnLabel(i);
        switch (md.getColumnType(i)) {
            case Types.SMALLINT:
            case Types.INTEGER:
                return IntColumn.create(label);
            case Types.BIGINT:
                return LongColumn.create(label);
            case Types.NUMERIC:
            case Types.DECIMAL:
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
                return DoubleColumn.create(label);
            case Types.BOOLEAN:
            case Types.BIT:
                return BooleanColumn.create(label);
            case Types.DATE:
                return DateColumn.create(label);
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return DateTimeColumn.create(label);
            default:
                return StringColumn.create(label);
        }
    }

    private static void append(Column<?> col, ResultSet rs, int i) throws SQLException {
        if (col instanceof IntColumn c) {
            int v = rs.getInt(i);
            if (rs.wasNull()) c.appendMissing(); else c.append(v);
        } else if (col instanceof LongColumn c) {
            long v = rs.getLong(i);
            if (rs.wasNull()) c.appendMissing(); else c.append(v);
        } else if (col instanceof DoubleColumn c) {
            double v = rs.getDouble(i);
            if (rs.wasNull()) c.appendMissing(); else c.append(v);
        } else if (col instanceof BooleanColumn c) {
            boolean v = rs.getBoolean(i);
            if (rs.wasNull()) c.appendMissing(); else c.append(v);
        } else if (col instanceof DateColumn c) {
            java.sql.Date v = rs.getDate(i);
            if (v == null) c.appendMissing(); else c.append(v.toLocalDate());
        } else if (col instanceof DateTimeColumn c) {
            c.append(timestamp(rs, i));
        } else {
            ((StringColumn) col).append(rs.getString(i));
        }
    }

    private static LocalDateTime timestamp(ResultSet rs, int i) throws SQLException {
        if (rs.getMetaData().getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE
                || "timestamptz".equals(rs.getMetaData().getColumnTypeName(i))) {
            OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
            return v == null ? null : v.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return rs.getObject(i, LocalDateTime.class);
    }
}
