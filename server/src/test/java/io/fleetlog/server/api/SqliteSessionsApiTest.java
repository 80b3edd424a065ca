package io.fleetlog.server.api;

import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSessionsApiTest extends SessionsApiContract {
    @TempDir
    Path dir;

    @Override
    ServerFixture start() {
        return ServerFixture.start(dir);
    }
}
