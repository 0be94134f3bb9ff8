package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * matrix-js-sdk 37.5.0 (Element Web's SDK, from npm, with its Rust crypto) against a running node:
 * registration and login, a room with 100 messages read back by a second client through
 * back-pagination, profiles, and an end-to-end encrypted exchange between two users.
 */
class MatrixJsSdkIT {
    static final Path PROJECT = Path.of("src", "test", "js");

    @TempDir
    Path dataDir;

    @Test
    void matrixJsSdkClientsTalkThroughTheNodeWithEndToEndEncryption() throws Exception {
        installPackages();
        ClientProcess client;
        try (RunningNode node = new RunningNode(dataDir)) {
            client = ClientProcess.run(PROJECT, "js-sdk-client", 150,
                    List.of("node", "js-sdk-client.mjs", node.url()));
        }
        assertEquals(0, client.exitCode(), client.report());
        for (String step : List.of("register", "login", "create room", "send messages", "display name",
                "second client joins", "back-pagination", "profile seen by the second client",
                "register encrypting users", "encrypted room", "encrypted message from carol to dave",
                "encrypted message from dave to carol")) {
            assertTrue(client.passed(step), step + ": " + client.report());
        }
        assertTrue(client.lines().contains("DONE"), client.report());
    }

    /**
     * Runs {@code npm ci} unless node_modules already matches package-lock.json (npm keeps a copy
     * of the lock file it installed in node_modules/.package-lock.json).
     */
    static void installPackages() throws IOException, InterruptedException {
        Path lock = PROJECT.resolve("package-lock.json");
        Path installed = PROJECT.resolve("node_modules").resolve(".package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        Files.createDirectories(ClientProcess.LOGS);
        Path log = ClientProcess.LOGS.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(PROJECT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci failed in " + PROJECT.toAbsolutePath() + "; see " + log.toAbsolutePath());
        }
    }
}
