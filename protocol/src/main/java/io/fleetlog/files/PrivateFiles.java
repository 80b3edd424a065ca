package io.fleetlog.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates files and directories readable by their owner only: files {@code 0600}, directories
 * {@code 0700}, with the mode given at creation (no window in which the file is world-readable).
 * The store, the spools and the tokens file hold vehicle locations and secrets.
 *
 * <p>Only what this class creates gets the private mode: existing files and directories (a {@code
 * /tmp}, a {@code data/} the operator made, a database from an older version) are left as they are.
 * SQLite gives its {@code -wal} and {@code -shm} files the mode of the main database file, so creating
 * that file here before SQLite opens it covers them. On a file system without POSIX permissions
 * (Windows) files are created with the platform's defaults. Failures are {@link IOException}s
 * naming the path. Stateless and thread-safe.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /**
     * Creates {@code dir} and its missing parents with mode 0700; existing ones are left untouched.
     *
     * @return {@code dir}
     */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(abs, attributes(abs, DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw new IOException(abs + " exists and is not a directory", e);
            }
            // created concurrently (another vehicle's spool): fine
        }
        return dir;
    }

    /**
     * Creates an empty {@code file} with mode 0600 (and its missing directories with 0700) unless it
     * exists; an existing file is left as it is.
     *
     * @return {@code file}
     */
    public static Path createFile(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (Files.exists(abs)) {
            return file;
        }
        if (abs.getParent() != null) {
            createDirectories(abs.getParent());
        }
        try {
            Files.createFile(abs, attributes(abs, FILE));
        } catch (FileAlreadyExistsException e) {
            // created concurrently: whoever created it created it private
        }
        return file;
    }

    /** The private-mode attribute where the file system has POSIX permissions, else none. */
    private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> perms) {
        boolean posix = p.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }
}
