package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tor-linux artifact is a test dependency of this module, as it is a runtime one of the command line. */
class BundledTorTest {
    @TempDir
    Path dir;

    private static BundledTor x86() {
        return new BundledTor(BundledTorTest.class.getClassLoader(), "Linux", "amd64");
    }

    @Test
    void theCarriedBinaryIsUnpackedExecutableByTheOwnerOnly() throws IOException {
        Path tor = x86().unpack(dir.resolve("bin")).orElseThrow();

        assertEquals(dir.resolve("bin").resolve("tor"), tor);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tor)));
        try (InputStream carried = getClass().getClassLoader().getResourceAsStream("x86_64/tor")) {
            assertArrayEquals(carried.readAllBytes(), Files.readAllBytes(tor));
        }
    }

    @Test
    void aDamagedCopyIsReplacedAndAnIdenticalOneIsKept() throws IOException {
        Path tor = x86().unpack(dir).orElseThrow();
        Files.writeString(tor, "#!/bin/sh\necho not tor\n");

        x86().unpack(dir);
        long replaced = Files.size(tor);
        assertTrue(replaced > 1_000_000, "the carried binary is back, not the 20-byte script: " + replaced);

        var modified = Files.getLastModifiedTime(tor);
        x86().unpack(dir);
        assertEquals(modified, Files.getLastModifiedTime(tor));
    }

    @Test
    void nothingIsCarriedForOtherSystemsOrArchitectures() {
        ClassLoader loader = getClass().getClassLoader();
        assertFalse(new BundledTor(loader, "Mac OS X", "aarch64").available());
        assertFalse(new BundledTor(loader, "Linux", "riscv64").available());
        assertTrue(new BundledTor(loader, "Linux", "riscv64").unpack(dir).isEmpty());
        assertTrue(new BundledTor(loader, "Linux", "aarch64").available());
    }

    @Test
    void theDefaultCommandFallsBackToTheCarriedTorOnlyWhenNoneIsInstalled() {
        Path unpackTo = dir.resolve("bin");
        Path resolved = TorBinary.resolve("tor", x86(), unpackTo);

        assertEquals(TorBinary.find("tor").orElse(unpackTo.resolve("tor")), resolved);
        assertTrue(TorBinary.available("tor", x86()));
        assertFalse(TorBinary.available("/nonexistent/tor", x86()));
    }

    @Test
    void theUnpackedTorRunsOnThisMachine() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the carried x86_64 binary runs on x86_64 only");
        Path tor = x86().unpack(dir).orElseThrow();
        Process process = new ProcessBuilder(tor.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Tor version 0.4."), output);
    }
}
