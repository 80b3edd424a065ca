package io.fleetlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 11: the store (every vehicle's location history) and the tokens file are created
 * readable by their owner only: files 0600 — SQLite's -wal and -shm included, which SQLite gives the
 * main file's mode — and new directories 0700. Before the fix they had the umask's 0644/0755.
 */
class StoreFileModeTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewSqliteStoreAndItsWalAndShmAreOwnerOnly() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path db = tmp.resolve("data").resolve("fleetlog.db");
        try (SampleStore store = Stores.open("jdbc:sqlite:" + db)) {
            store.upsertVehicle(new Vehicle(Samples.VIN_A, "model3", null));
            store.append(Samples.VIN_A, Samples.drive(0, 50, Samples.T0));
            assertThat(mode(db)).isEqualTo("rw-------");
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Path side = db.resolveSibling(db.getFileName() + suffix);
                assertThat(side).as("SQLite's %s file (WAL mode)", suffix).exists();
                assertThat(mode(side)).as(side.toString()).isEqualTo("rw-------");
            }
            assertThat(mode(db.getParent())).isEqualTo("rwx------");
        }
    }

    @Test
    void theTokensFileIsOwnerOnly() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path file = tmp.resolve("etc").resolve("tokens");
        TokenStore tokens = TokenStore.load(file);
        tokens.add(Samples.VIN_A);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        tokens.add(Samples.VIN_B); // rewritten through a temp file and a rename: still private
        assertThat(mode(file)).isEqualTo("rw-------");
    }
}
