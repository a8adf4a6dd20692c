package lab;

import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * PostgreSQL's hash partitioning, computed in Java: the partition a row with an {@code integer} key goes to, as the
 * server itself routes it. For one key column the server hashes the value with the type's extended hash function
 * (for int4, {@code hashint4extended}: Bob Jenkins' lookup3 over the 32-bit value) seeded with
 * {@code HASH_PARTITION_SEED}, folds it into a 64-bit row hash with {@code hash_combine64} starting from 0, and picks
 * the partition whose remainder equals that hash modulo the partitions' modulus (unsigned). The source is
 * PostgreSQL's {@code partbounds.c} ({@code compute_partition_hash_value}) and {@code hashfn.c}
 * ({@code hash_bytes_uint32_extended}). A loader that knows this needs no round trip to route a row; the tests hold
 * it to the server's own {@code satisfies_hash_partition}.
 */
public final class HashPartitions {
    /** partbounds.h: the seed every partition key column is hashed with. */
    static final long HASH_PARTITION_SEED = 0x7A5B22367996DCFDL;

    private final int modulus;
    private final int[] partitionOfRemainder;
    private final Table bounds;

    private HashPartitions(int modulus, int[] partitionOfRemainder, Table bounds) {
        this.modulus = modulus;
        this.partitionOfRemainder = partitionOfRemainder;
        this.bounds = bounds;
    }

    /**
     * The bounds of a table's hash partitions, read from the catalog ({@code sql/fdw/hash_bounds.sql}): one modulus for
     * all (the lab's tables; PostgreSQL allows mixed moduli, which this refuses rather than routes wrongly).
     */
    public static HashPartitions of(Node node, String table) {
        Table bounds = node.run("fdw/hash_bounds.sql", Map.of("lab.table", table)).lastTable();
        if (bounds.rowCount() == 0) throw new BadInput(table + " on node " + node.name() + " has no hash partitions");
        int modulus = bounds.intColumn("modulus").get(0);
        int[] partitionOf = new int[modulus];
        java.util.Arrays.fill(partitionOf, -1);
        for (int r = 0; r < bounds.rowCount(); r++) {
            if (bounds.intColumn("modulus").get(r) != modulus) {
                throw new BadInput(table + " mixes hash moduli (" + modulus + " and " + bounds.intColumn("modulus").get(r)
                        + "): route its rows through the coordinator");
            }
            partitionOf[bounds.intColumn("remainder").get(r)] = r;
        }
        for (int remainder = 0; remainder < modulus; remainder++) {
            if (partitionOf[remainder] < 0) throw new BadInput(table + " has no partition for remainder " + remainder + " of " + modulus);
        }
        return new HashPartitions(modulus, partitionOf, bounds.setName("hash partitions of " + table));
    }

    /** One row per partition, in the order {@link #partitionOf(int)} numbers them: partition, modulus, remainder, shard, shard_table. */
    public Table bounds() {
        return bounds;
    }

    public List<String> partitions() {
        return bounds.stringColumn("partition").asList();
    }

    /** The index (into {@link #partitions()}) of the partition a row with this integer key goes to. */
    public int partitionOf(int key) {
        return partitionOfRemainder[(int) Long.remainderUnsigned(rowHash(key), modulus)];
    }

    /** compute_partition_hash_value for one int4 column: hash_combine64(0, hashint4extended(key, seed)). */
    static long rowHash(int key) {
        return combine64(0, hashUint32Extended(key, HASH_PARTITION_SEED));
    }

    /** hash_combine64 (common/hashfn.h). */
    static long combine64(long a, long b) {
        return a ^ (b + 0x49a0f4dd15e5a8e3L + (a << 54) + (a >>> 7));
    }

    /** hash_bytes_uint32_extended (common/hashfn.c): lookup3's mix and final over one 32-bit word. */
    static long hashUint32Extended(int k, long seed) {
        int a = 0x9e3779b9 + 4 + 3923095;
        int b = a;
        int c = a;
        if (seed != 0) {
            a += (int) (seed >>> 32);
            b += (int) seed;
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
        }
        a += k;
        // final(a, b, c)
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return ((long) b << 32) | (c & 0xFFFFFFFFL);
    }
}
