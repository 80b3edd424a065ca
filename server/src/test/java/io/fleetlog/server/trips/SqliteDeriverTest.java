package io.fleetlog.server.trips;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteDeriverTest extends DeriverContract {
    @TempDir
    Path dir;

    @Override
    SampleStore open() {
        return Stores.open("jdbc:sqlite:" + dir.resolve("fleetlog.db"));
    }
}
