package io.fleetlog.server.history;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The rollups' law against a SQLite store in a temporary file. */
class SqliteRollupPropertyTest extends RollupPropertyContract {
    private static Path dir;
    private static SampleStore store;

    @BeforeContainer
    static void open() throws Exception {
        dir = Files.createTempDirectory("rollups");
        store = Stores.open("jdbc:sqlite:" + dir.resolve("fleet.db"));
    }

    @AfterContainer
    static void close() throws Exception {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Override
    SampleStore store() {
        return store;
    }
}
