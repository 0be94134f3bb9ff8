package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

class SqliteNativeLibraryTest {
    @TempDir
    Path temp;

    @Test
    void cacheDirectoryIsUnderXdgCacheHomeWhenItIsSet() {
        assertEquals(Optional.of(Path.of("/xdg/cache/hyphae")),
                SqliteNativeLibrary.cacheDirectory(Map.of("XDG_CACHE_HOME", "/xdg/cache"), "/home/alice"));
    }

    @Test
    void cacheDirectoryIsDotCacheInTheHomeWithoutAnAbsoluteXdgCacheHome() {
        assertEquals(Optional.of(Path.of("/home/alice/.cache/hyphae")),
                SqliteNativeLibrary.cacheDirectory(Map.of("XDG_CACHE_HOME", "relative"), "/home/alice"));
        assertEquals(Optional.empty(), SqliteNativeLibrary.cacheDirectory(Map.of(), "?"));
    }

    @Test
    void cachedCopyHoldsTheDriversLibraryAndIsMadeOnlyOnce() throws Exception {
        Path library = SqliteNativeLibrary.cachedCopy(temp).orElseThrow();
        assertTrue(library.startsWith(temp));
        assertTrue(library.getParent().getFileName().toString().contains(SQLiteJDBCLoader.getVersion()));
        String name = System.mapLibraryName("sqlitejdbc");
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name)) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(library));
        }
        FileTime made = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, made);

        assertEquals(Optional.of(library), SqliteNativeLibrary.cachedCopy(temp));
        assertEquals(made, Files.getLastModifiedTime(library));
        try (var files = Files.list(library.getParent())) {
            assertEquals(1, files.count(), "no partial copies are left beside the library");
        }
    }
}
