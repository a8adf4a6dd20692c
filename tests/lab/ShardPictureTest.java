package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Lesson 07's picture of the sharded layout: the rows it draws per shard are the shards' own counts, read from the
 * live servers (not the coordinator's idea of them), and a change on one shard shows in the next picture.
 */
class ShardPictureTest {

    private static Map<String, Long> countedOnTheShards(Sharding sharding) {
        Map<String, Long> counts = new TreeMap<>();
        for (String shard : Sharding.SHARDS) counts.put(shard, sharding.shard(shard).count("app.events_shard"));
        return counts;
    }

    @Test
    void theDrawnCountsAreTheShardsOwnAndFollowTheData() throws IOException {
        Sharding sharding = Sharding.on(Lab.connect("embedded"));
        sharding.build();
        sharding.loadShardAware(EventGenerator.Request.of(Sharding.TABLE, YearMonth.of(2024, 1), YearMonth.of(2024, 1), 300, 100, 7)
                .withProgress(Progress.Mode.OFF));

        ShardPicture picture = ShardPicture.of(sharding);
        Map<String, Long> onShards = countedOnTheShards(sharding);
        assertEquals(onShards, new TreeMap<>(picture.rowsDrawn()), "the bars are each shard's count of app.events_shard");
        assertEquals(300L, picture.rowsDrawn().values().stream().mapToLong(Long::longValue).sum(), "together every row loaded");
        assertTrue(onShards.values().stream().allMatch(n -> n > 0), "both shards hold rows: " + onShards);
        assertEquals("events_mod2_r0 (modulus 2, remainder 0)", picture.boundOf().get("shard1"), "shard1's partition and bound, from the catalog");

        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(picture.image(), "png", png), "the picture encodes as PNG");
        var decoded = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertEquals(900, decoded.getWidth());
        assertEquals(550, decoded.getHeight());

        // rows removed on shard2 directly, behind the coordinator's back: the next picture draws shard2's new count
        long removed = ((Number) sharding.shard("shard2")
                .scalar("WITH gone AS (DELETE FROM app.events_shard WHERE tenant_id = (SELECT min(tenant_id) FROM app.events_shard) RETURNING 1) SELECT count(*) FROM gone"))
                .longValue();
        assertTrue(removed > 0, "a tenant's rows removed on shard2");
        ShardPicture after = ShardPicture.of(sharding);
        assertEquals(onShards.get("shard2") - removed, after.rowsDrawn().get("shard2"), "shard2's bar after the delete");
        assertEquals(onShards.get("shard1"), after.rowsDrawn().get("shard1"), "shard1's bar unchanged");
        assertEquals(countedOnTheShards(sharding), new TreeMap<>(after.rowsDrawn()));
    }
}
