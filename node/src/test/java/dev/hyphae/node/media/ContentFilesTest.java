package dev.hyphae.node.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentFilesTest {
    @TempDir
    Path dataDir;

    @Test
    void contentIsStoredUnderItsHashOnceAndReadBack() throws Exception {
        ContentFiles files = new ContentFiles(dataDir);
        byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
        String hash = files.put(content);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash);
        assertEquals(hash, files.put(content));
        assertArrayEquals(content, files.get(hash).orElseThrow());
        assertTrue(Files.isRegularFile(dataDir.resolve("media/content/ba").resolve(hash)));
        try (Stream<Path> all = Files.walk(dataDir)) {
            assertEquals(1, all.filter(Files::isRegularFile).count(), "no temporary file is left behind");
        }
        assertTrue(new ContentFiles(dataDir).get("0".repeat(64)).isEmpty());
    }

    @Test
    void onlyHashesNameFiles() {
        ContentFiles files = new ContentFiles(dataDir);
        assertThrows(IllegalArgumentException.class, () -> files.get("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> files.get("AB".repeat(32)));
    }
}
