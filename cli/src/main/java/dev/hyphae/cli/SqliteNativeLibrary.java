package dev.hyphae.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Keeps one copy of sqlite-jdbc's native library in the user's cache directory and points the driver
 * at it. Left alone, the driver copies the library out of the jar into the temporary directory at
 * every start, compares the copy with the jar's byte by byte, runs {@code uname} to tell Android
 * apart, and scans the temporary directory for stale copies: about a tenth of a second of CPU of
 * each node start. The copy is made once per driver version, operating system and architecture.
 * Any problem leaves the driver to load the library its own way.
 */
final class SqliteNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";
    /** Where the driver extracts to if our copy does not load, and where it looks for stale copies. */
    private static final String TEMP_PROPERTY = "org.sqlite.tmpdir";

    private SqliteNativeLibrary() {
    }

    /** The cache directory of Hyphae: {@code $XDG_CACHE_HOME/hyphae}, else {@code ~/.cache/hyphae}. */
    static Optional<Path> cacheDirectory(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "hyphae"));
        }
        if (userHome == null || userHome.isBlank() || userHome.equals("?")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(userHome, ".cache", "hyphae"));
    }

    /**
     * Points the driver at the cached copy under {@code cacheDirectory}, making it first if needed;
     * does nothing when the driver's library location is already set or no copy can be made.
     */
    static void useCachedCopy(Path cacheDirectory) {
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return;
        }
        cachedCopy(cacheDirectory).ifPresent(library -> {
            System.setProperty(PATH_PROPERTY, library.getParent().toString());
            System.setProperty(NAME_PROPERTY, library.getFileName().toString());
            System.setProperty(TEMP_PROPERTY, library.getParent().toString());
        });
    }

    /** The copy of the library for this driver and platform under {@code cacheDirectory}, made if missing. */
    static Optional<Path> cachedCopy(Path cacheDirectory) {
        String name = System.mapLibraryName("sqlitejdbc");
        // Named after what decides which library the jar holds; no OSInfo call here, as it runs uname.
        Path directory = cacheDirectory.resolve(String.join("-", "sqlite-jdbc", SQLiteJDBCLoader.getVersion(),
                System.getProperty("os.name", "unknown"), System.getProperty("os.arch", "unknown"))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_"));
        Path library = directory.resolve(name);
        try {
            if (!Files.isRegularFile(library)) {
                extract("/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name, library);
            }
            return Optional.of(library);
        } catch (IOException | RuntimeException e) {
            LOG.debug("no cached copy of the SQLite library in {}: {}", directory, e.toString());
            return Optional.empty();
        }
    }

    /** Copies the resource to a new file beside {@code target}, then renames it, so a copy is whole or absent. */
    private static void extract(String resource, Path target) throws IOException {
        Path directory = target.getParent();
        createOwnerOnly(directory);
        Path partial = Files.createTempFile(directory, "partial-", ".tmp");
        try {
            try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("the driver holds no library " + resource);
                }
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void createOwnerOnly(Path directory) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }
}
