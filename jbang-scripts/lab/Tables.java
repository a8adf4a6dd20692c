package lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * JDBC rows into Tablesaw tables, with PostgreSQL's own types (uuid, jsonb, timestamptz) kept readable; and JSON rows
 * (what {@link Render#json} writes and the maintenance service answers) back into a table.
 */
public final class Tables {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * The array of row objects under {@code field} of a JSON document, e.g. the {@code "tables"} of the service's
     * {@code GET health}, as a table named after the field: one column per key, in the order first seen; a column is
     * boolean, long (whole numbers only), double or else text (dates stay ISO text), and null is a missing value.
     */
    public static Table fromJson(String json, String field) {
        JsonNode rows;
        try {
            rows = JSON.readTree(json).path(field);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + BadInput.oneLine(e.getMessage()), e);
        }
        if (!rows.isArray()) throw new IllegalArgumentException("no array '" + field + "' in the JSON document");
        Map<String, List<JsonNode>> values = new LinkedHashMap<>();
        for (JsonNode row : rows) row.fieldNames().forEachRemaining(name -> values.putIfAbsent(name, new ArrayList<>()));
        for (JsonNode row : rows) values.forEach((name, column) -> column.add(row.path(name)));
        Table table = Table.create(field);
        values.forEach((name, column) -> table.addColumns(jsonColumn(name, column)));
        return table;
    }

    private static Column<?> jsonColumn(String name, List<JsonNode> values) {
        List<JsonNode> present = values.stream().filter(v -> !v.isNull() && !v.isMissingNode()).toList();
        if (!present.isEmpty() && present.stream().allMatch(JsonNode::isBoolean)) {
            BooleanColumn c = BooleanColumn.create(name);
            values.forEach(v -> { if (v.isBoolean()) c.append(v.booleanValue()); else c.appendMissing(); });
            return c;
        }
        if (!present.isEmpty() && present.stream().allMatch(v -> v.isIntegralNumber() && v.canConvertToLong())) {
            LongColumn c = LongColumn.create(name);
            values.forEach(v -> { if (v.isNumber()) c.append(v.longValue()); else c.appendMissing(); });
            return c;
        }
        if (!present.isEmpty() && present.stream().allMatch(JsonNode::isNumber)) {
            DoubleColumn c = DoubleColumn.create(name);
            values.forEach(v -> { if (v.isNumber()) c.append(v.doubleValue()); else c.appendMissing(); });
            return c;
        }
        StringColumn c = StringColumn.create(name);
        values.forEach(v -> { if (v.isNull() || v.isMissingNode()) c.appendMissing(); else c.append(v.isValueNode() ? v.asText() : v.toString()); });
        return c;
    }

    /** A numeric cell as a long, whatever integer or numeric type the column has. */
    public static long number(Table t, String column, int row) {
        return ((Number) t.column(column).get(row)).longValue();
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
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return timestamptz(label);
            case Types.TIMESTAMP: // pgjdbc reports timestamptz as TIMESTAMP too; its type name tells them apart
                return "timestamptz".equals(md.getColumnTypeName(i)) ? timestamptz(label) : DateTimeColumn.create(label);
            default:
                return StringColumn.create(label);
        }
    }

    /**
     * A timestamptz column: its values are the instants in UTC ({@link #timestamp}), printed with that zone as psql
     * prints them ({@code 2026-12-02 23:59:01+00}, {@code 2026-12-02 23:59:01.5+00}), so that no reader takes them for
     * local times; a timestamp without time zone keeps Tablesaw's form.
     */
    private static DateTimeColumn timestamptz(String label) {
        DateTimeColumn column = DateTimeColumn.create(label);
        column.setPrintFormatter(TIMESTAMPTZ_UTC);
        return column;
    }

    private static final DateTimeFormatter TIMESTAMPTZ_UTC = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ')
            .appendPattern("HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
            .appendLiteral("+00").toFormatter(Locale.ROOT);

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
