package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.Table;

/**
 * Where the sharded rows are, checked (lesson 07): the three servers, the Java hash against the server's, each
 * partition on its shard, every tenant on the shard its hash names, and the monitor against the counts. Each method
 * checks its claims with {@link Claim} (printing them) and returns a small result for the lesson to show.
 */
public final class Placement {
    private Placement() {}

    /** coordinator, shard1 and shard2 in the topology's node table, each at an address of its own. */
    public static Table threeSeparateServers(Table nodes) {
        Map<String, String> urlOf = new TreeMap<>();
        for (int i = 0; i < nodes.rowCount(); i++) urlOf.put(nodes.getString(i, "node"), nodes.getString(i, "url"));
        List<String> ours = List.of(Sharding.COORDINATOR, "shard1", "shard2");
        Claim.that("coordinator, shard1 and shard2 are three separate servers, each reachable at its own address",
                ours.stream().allMatch(n -> urlOf.get(n) != null && !urlOf.get(n).isEmpty())
                        && ours.stream().map(urlOf::get).distinct().count() == 3);
        return nodes;
    }

    /** The partition tree right after build(): HASH (tenant_id), two foreign partitions, both empty. */
    public static Table builtEmpty(Node coordinator) {
        Table tree = Partitions.tree(coordinator, Sharding.TABLE);
        Table leaves = tree.where(tree.booleanColumn("is_leaf").isTrue());
        Claim.equal("app.events_sharded is partitioned by the hash of tenant_id", "HASH (tenant_id)", tree.getString(0, "partition_key"));
        Claim.equal("into two foreign partitions", List.of("app.events_mod2_r0", "app.events_mod2_r1"), leaves.stringColumn("partition").asList());
        Claim.that("both empty after build()", leaves.rowCount() == 2 && Tables.number(leaves, "row_count", 0) == 0 && Tables.number(leaves, "row_count", 1) == 0);
        return tree;
    }

    /**
     * HashPartitions (Java) against the server's hash: for every tenant 1..tenants the partition the shard map names
     * (satisfies_hash_partition), and for ids no map holds the server's own test of the partition Java picked.
     */
    public static Table javaHashAgreesWithServer(Node coordinator, HashPartitions hash, int tenants) {
        Table map = coordinator.run("fdw/shard_map.sql", Map.of("lab.tenants", Integer.toString(tenants))).lastTable();
        int agreeing = 0;
        for (int i = 0; i < map.rowCount(); i++) {
            int t = (int) Tables.number(map, "tenant_id", i);
            if (hash.partitions().get(hash.partitionOf(t)).equals("app." + map.getString(i, "partition"))) agreeing++;
        }
        Claim.equal("for each of the tenants 1.." + tenants + ", partitionOf (Java) names the partition the server's hash names",
                tenants, agreeing);
        List<Integer> outside = List.of(0, -1, 1001, 1_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE);
        List<String> javaSays = new ArrayList<>();
        List<String> serverSays = new ArrayList<>();
        for (int id : outside) {
            int p = hash.partitionOf(id);
            javaSays.add(hash.partitions().get(p));
            boolean there = (Boolean) coordinator.scalar("SELECT satisfies_hash_partition(?::regclass, ?, ?, ?::int)", Sharding.TABLE,
                    ((Number) hash.bounds().column("modulus").get(p)).intValue(), ((Number) hash.bounds().column("remainder").get(p)).intValue(), id);
            serverSays.add(there ? hash.partitions().get(p) : "not " + hash.partitions().get(p));
        }
        Claim.equal("ids no map holds route too, where the server would put them " + outside, serverSays, javaSays);
        return hash.bounds();
    }

    /** Each partition on its shard, both shards holding rows, the two counts equal, together every row. */
    public static Map<String, String> partitionsOnTheirShards(Table distribution, long total) {
        Map<String, String> shardOfPartition = new TreeMap<>();
        Map<String, String> partitionOfShard = new TreeMap<>();
        long summed = 0;
        for (int i = 0; i < distribution.rowCount(); i++) {
            shardOfPartition.put(distribution.getString(i, "partition"), distribution.getString(i, "shard"));
            partitionOfShard.put(distribution.getString(i, "shard"), "app." + distribution.getString(i, "partition"));
            summed += Tables.number(distribution, "rows_via_coordinator", i);
        }
        Claim.equal("events_mod2_r0 lives on shard1, events_mod2_r1 on shard2",
                Map.of("events_mod2_r0", "shard1", "events_mod2_r1", "shard2"), shardOfPartition);
        Claim.that("both shards hold rows", distribution.rowCount() == 2
                && Tables.number(distribution, "rows_on_shard", 0) > 0 && Tables.number(distribution, "rows_on_shard", 1) > 0);
        Claim.that("each partition's count through the coordinator equals the count on its shard",
                distribution.booleanColumn("counts_equal").asList().stream().allMatch(Boolean.TRUE::equals));
        Claim.equal("the two partitions together hold every row", total, summed);
        return partitionOfShard;
    }

    /** What {@link #everyTenantOnItsHashShard} found: tenants per shard by the map, and where each tenant's rows are. */
    public record Tenants(Map<String, Long> perShardByHash, Table placement, Table perPartition) {}

    /**
     * Every tenant's rows on exactly one partition, the one its hash names (the server's satisfies_hash_partition and
     * the Java HashPartitions alike), and the tenants' rows adding up to every row.
     */
    public static Tenants everyTenantOnItsHashShard(Sharding sharding, HashPartitions hash, int tenants, long total) {
        Table placement = sharding.tenantPlacement();
        Table map = sharding.coordinator().run("fdw/shard_map.sql", Map.of("lab.tenants", Integer.toString(tenants))).lastTable();
        Claim.equal("the shard map places every one of the " + tenants + " tenants", tenants, map.rowCount());
        Map<String, Long> perShard = new TreeMap<>();
        for (int i = 0; i < map.rowCount(); i++) perShard.merge(map.getString(i, "shard"), 1L, Long::sum);
        var placed = placement.intColumn("tenant_id");
        Claim.that("tenants with events: " + placement.rowCount() + ", all within 1.." + tenants,
                placement.rowCount() > 0 && placement.rowCount() <= tenants && placed.min() >= 1 && placed.max() <= tenants);
        Claim.that("every tenant's rows are on exactly one partition",
                placement.longColumn("partitions").asList().stream().allMatch(p -> p == 1));
        Claim.that("and on the partition its hash names (belongs_there)",
                placement.booleanColumn("belongs_there").asList().stream().allMatch(Boolean.TRUE::equals));
        boolean whereJavaSays = true;
        for (int i = 0; i < placement.rowCount(); i++) {
            whereJavaSays &= ("app." + placement.getString(i, "held_by")).equals(hash.partitions().get(hash.partitionOf(placed.get(i))));
        }
        Claim.that("which is where the shard-aware load's HashPartitions sent them", whereJavaSays);
        Claim.equal("the tenants' rows add up to every row", total, (long) placement.longColumn("row_count").sum());
        return new Tenants(perShard, placement, placement.countBy("held_by").setName("tenants with events, per partition"));
    }

    /** One tenant's query: one partition of two scanned, the one on its shard, and the filter sent to that shard. */
    public static PlanSummary oneTenantOneShard(Sharding sharding, int tenant, Map<String, String> partitionOfShard, Table placement) {
        PlanSummary plan = sharding.oneTenant(tenant);
        String shard = sharding.shardOf(tenant);
        Claim.that("tenant " + tenant + ": " + plan.verdict(), plan.partitionsTotal() == 2 && plan.partitionsScanned() == 1);
        Claim.equal("the partition scanned is the one on " + shard + ", the shard tenant " + tenant + "'s hash names",
                List.of(partitionOfShard.get(shard)), plan.scannedPartitions());
        Table row = placement.where(placement.intColumn("tenant_id").isEqualTo(tenant));
        Claim.that("and that is where its rows are", row.rowCount() == 0 || ("app." + row.getString(0, "held_by")).equals(partitionOfShard.get(shard)));
        Claim.that("the filter travels to the shard (Remote SQL ... WHERE ((tenant_id = " + tenant + ")))",
                plan.planText().contains("(tenant_id = " + tenant + ")"));
        return plan;
    }

    /**
     * The monitor at a threshold, held to the counts: the rows it reads equal distribution()'s, the spread is (max -
     * min) / mean, ALERT exactly beyond the threshold, ok at 50%, and ALERT at 0% for any difference at all.
     */
    public static Sharding.Monitor monitorAgrees(Sharding sharding, Table distribution, double threshold) {
        Sharding.Monitor watch = sharding.monitor(threshold);
        System.out.println(watch.status());
        Table perShard = watch.shards();
        long a = Tables.number(perShard, "row_count", 0), b = Tables.number(perShard, "row_count", 1);
        long max = Math.max(a, b), min = Math.min(a, b);
        Claim.equal("the monitor counts the rows distribution() counted",
                List.of(Tables.number(distribution, "rows_on_shard", 0), Tables.number(distribution, "rows_on_shard", 1)), List.of(a, b));
        double spread = 100.0 * (max - min) / ((max + min) / 2.0);
        Claim.that(String.format(java.util.Locale.ROOT, "the spread is (max - min) / mean of the row counts: %.1f%%", spread),
                Math.abs(spread - watch.spreadPct()) < 0.051);
        Claim.that("the status is ALERT exactly when the spread (" + watch.spreadPct() + "%) is beyond the " + threshold + "% threshold",
                watch.status().startsWith("ALERT") == (watch.spreadPct() > threshold) && watch.alert() == (watch.spreadPct() > threshold));
        Sharding.Monitor relaxed = sharding.monitor(50);
        System.out.println(relaxed.status());
        Claim.that("with a 50% threshold the same shards are ok", relaxed.status().startsWith("ok") && !relaxed.alert());
        Sharding.Monitor strict = sharding.monitor(0);
        Claim.that("with 0% any difference at all is an ALERT", strict.status().startsWith("ALERT") == (max != min));
        return watch;
    }
}
