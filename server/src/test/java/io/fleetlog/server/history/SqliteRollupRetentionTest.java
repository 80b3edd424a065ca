package io.fleetlog.server.history;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class SqliteRollupRetentionTest extends RollupRetentionContract {
    @TempDir
    Path dir;

    @Override
    SampleStore open() {
        return Stores.open("jdbc:sqlite:" + dir.resolve("fleet.db"));
    }

    @Override
    List<String> partitions() {
        return null;
    }
}
