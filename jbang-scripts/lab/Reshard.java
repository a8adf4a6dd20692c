package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.Table;

/**
 * What adding shards by hand would move (lesson 08, limit 5), from {@code Sharding.Limits#reshardCost()}: per tenant
 * group, the shard now and the shard after MODULUS 4. Hash moduli must each divide the next larger one, so from
 * MODULUS 2 a layout may split both remainders (2 -> 4 shards) or only one (2 -> 3 shards: remainder 1 becomes
 * MODULUS 4 remainders 1 and 3, remainder 0 stays MODULUS 2).
 */
public record Reshard(long moving, long staying, long movingIfOneSplits, Map<String, List<String>> destinations, long tenants) {

    public static Reshard of(Table cost) {
        long moving = 0, staying = 0, oneSplit = 0, tenants = 0;
        Map<String, List<String>> destinations = new TreeMap<>();
        for (int i = 0; i < cost.rowCount(); i++) {
            long rows = Tables.number(cost, "row_count", i);
            if (cost.booleanColumn("rows_move").get(i)) moving += rows; else staying += rows;
            // splitting only shard2's remainder: its rows bound for the fourth shard go to a third, shard1's all stay
            if (cost.getString(i, "shard_after").equals("shard4")) oneSplit += rows;
            destinations.computeIfAbsent(cost.getString(i, "shard_now"), s -> new ArrayList<>()).add(cost.getString(i, "shard_after"));
            tenants += Tables.number(cost, "tenants", i);
        }
        return new Reshard(moving, staying, oneSplit, destinations, tenants);
    }

    public double movingPct() {
        return 100.0 * moving / (moving + staying);
    }

    public double movingIfOneSplitsPct() {
        return 100.0 * movingIfOneSplits / (moving + staying);
    }

    /** The claims: the rows add up, none crosses between old shards, about half move for 4, about a quarter for 3. */
    public Reshard check(long total, long tenantsWithEvents) {
        Claim.equal("rows that move and rows that stay add up to every row", total, moving + staying);
        Claim.equal("shard1's rows stay or go to shard3, shard2's stay or go to shard4: none crosses between the old shards",
                Map.of("shard1", List.of("shard1", "shard3"), "shard2", List.of("shard2", "shard4")), destinations);
        Claim.that(String.format(Locale.ROOT, "going from 2 to 4 shards moves about half the rows: %,d of %,d (%.1f%%)", moving, total, movingPct()),
                movingPct() > 40 && movingPct() < 60);
        Claim.equal("over the tenants with events", tenantsWithEvents, tenants);
        Claim.that(String.format(Locale.ROOT, "splitting only shard2's remainder (2 -> 3 shards) moves about a quarter: %,d rows (%.1f%%)",
                movingIfOneSplits, movingIfOneSplitsPct()), movingIfOneSplitsPct() > 15 && movingIfOneSplitsPct() < 35);
        return this;
    }
}
