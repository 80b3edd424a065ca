package io.fleetlog.edge.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 11: the spool holds the vehicle's locations, so it is created readable by its owner
 * only — file 0600 (and SQLite's -wal and -shm beside it), new directories 0700. Before the fix the
 * spool was created with the process umask (0644 under the usual 022).
 */
class SpoolFileModeTest {
    @TempDir
    Path tmp;

    @Test
    void aNewSpoolAndItsWalAndShmAreOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path existing = Files.createDirectory(
                tmp.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x")); // whatever the umask
        Path dir = existing.resolve("vehicles").resolve("spool");
        Path file = Spools.fileFor(dir, "5YJ3E1EA8KF000001");
        try (Spool s = Spools.open(file, SpoolConfig.defaults())) {
            s.append(TestSamples.range(0, 100));
            s.flush();
            assertThat(mode(file)).isEqualTo("rw-------");
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Path side = file.resolveSibling(file.getFileName() + suffix);
                assertThat(side).as("SQLite's %s file (WAL mode)", suffix).exists();
                assertThat(mode(side)).as(side.toString()).isEqualTo("rw-------");
            }
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.getParent()))
                .as("every directory the spool created")
                .isEqualTo("rwx------");
        assertThat(mode(existing)).as("an existing directory is left as it was").isEqualTo("rwxr-xr-x");
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
