package io.fleetlog.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSampleStoreTest extends SampleStoreContract {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("data/fleetlog.db");
    }

    @Override
    SampleStore openStore() {
        return Stores.open(url());
    }

    @Override
    SampleStore reopen() {
        store.close();
        return Stores.open(url());
    }
}
