package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * PostgreSQL's hash partitioning computed in Java, held to the server's own: the extended hash of every value, and the
 * partition the server routes each row to (by inserting the rows and reading back where they landed).
 */
class HashPartitionsTest {
    private static final int[] KEYS = {0, 1, -1, 2, 42, 999, 1000, 1001, 123_456, -98_765, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1, 65_536, -65_536};

    // keys are read back as bigint: Tablesaw keeps Integer.MIN_VALUE as its "missing" marker in an int column
    private static Node server() {
        return Lab.connect("embedded").node("partitioned");
    }

    @Test
    void theHashOfEveryValueIsTheServersHashint4extended() {
        List<String> values = new ArrayList<>();
        for (int k : KEYS) values.add(Integer.toString(k));
        Table hashes = server().query("SELECT k::bigint AS k, hashint4extended(k, " + HashPartitions.HASH_PARTITION_SEED + ") AS h "
                + "FROM unnest(?::int[]) AS k", "{" + String.join(",", values) + "}");
        assertEquals(KEYS.length, hashes.rowCount());
        for (int r = 0; r < hashes.rowCount(); r++) {
            int k = ((Number) hashes.column("k").get(r)).intValue();
            assertEquals(((Number) hashes.column("h").get(r)).longValue(), HashPartitions.hashUint32Extended(k, HashPartitions.HASH_PARTITION_SEED),
                    "hashint4extended(" + k + ")");
        }
    }

    @Test
    void everyRowGoesToThePartitionTheServerPutsItIn() {
        Node node = server();
        for (int modulus : new int[] {2, 3, 4, 7}) {
            node.run("fdw/test_hash_table.sql", Map.of("lab.modulus", Integer.toString(modulus)));
            try {
                HashPartitions partitions = HashPartitions.of(node, "lab_test.hash_keys");
                assertEquals(modulus, partitions.partitions().size());
                Table landed = node.query("SELECT k::bigint AS k, tableoid::regclass::text AS partition FROM lab_test.hash_keys ORDER BY k");
                assertEquals(4001 + KEYS.length, landed.rowCount());
                for (int r = 0; r < landed.rowCount(); r++) {
                    int k = ((Number) landed.column("k").get(r)).intValue();
                    assertEquals(landed.getString(r, "partition"), partitions.partitions().get(partitions.partitionOf(k)),
                            "key " + k + " with modulus " + modulus);
                }
            } finally {
                node.query("DROP SCHEMA lab_test CASCADE");
            }
        }
    }
}
