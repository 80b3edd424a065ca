package io.fleetlog.server.store;

import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The chunk layout's model property ({@link ChunkLayoutContract#checkOneCase}) under jqwik: each try a
 * fresh store, random frames of every kind, random batching with resends and holes, merges at random
 * points, read back equal to a map of what was appended.
 */
class ChunkStorePropertiesTest {
    @Property(tries = 30)
    void sqliteReadsBackTheModel(@ForAll long seed) throws Exception {
        Path dir = Files.createTempDirectory("chunk-props");
        try (ChunkedStore s = SqliteSampleStore.open("jdbc:sqlite:" + dir.resolve("f.db"), StoreLayout.CHUNKS, false)) {
            ChunkLayoutContract.checkOneCase(
                    s, Samples.VIN_A, SampleStoreContract.extended(), new Random(seed), "seed " + seed);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Property(tries = 10)
    void postgresReadsBackTheModel(@ForAll long seed) throws Exception {
        Postgres.Schema schema = Postgres.newSchema();
        try (ChunkedStore s = PostgresSampleStore.open(schema.url(), StoreLayout.CHUNKS, false)) {
            ChunkLayoutContract.checkOneCase(
                    s, Samples.VIN_A, SampleStoreContract.extended(), new Random(seed), "seed " + seed);
        } finally {
            schema.drop();
        }
    }
}
