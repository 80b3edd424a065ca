package io.fleetlog.server.api;

import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The sessions API on the real PostgreSQL on 127.0.0.1:5432, in a schema of its own per test. */
class PostgresSessionsApiTest extends SessionsApiContract {
    @TempDir
    Path dir;

    @Override
    ServerFixture start() {
        String url = Postgres.newSchema().url();
        ServerConfig config = ServerFixture.config(dir).withDb(url);
        return ServerFixture.start(config, Stores.open(url));
    }
}
