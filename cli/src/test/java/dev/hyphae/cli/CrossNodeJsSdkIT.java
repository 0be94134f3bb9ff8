package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * matrix-js-sdk 37.5.0 with its Rust crypto, one user on each of two {@code hyphae run} processes
 * federating over libp2p on loopback: a room joined across the nodes, 100 messages in order on both,
 * back-pagination, typing, read receipts, display names, and an encrypted room whose messages
 * decrypt both ways (device keys queried and one-time keys claimed over federation).
 */
class CrossNodeJsSdkIT {
    @TempDir
    Path dir;

    @Test
    void usersOnTwoNodesTalkThroughMatrixJsSdkWithEndToEndEncryption() throws Exception {
        MatrixJsSdkIT.installPackages();
        ClientProcess client;
        try (NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start()) {
            client = ClientProcess.run(MatrixJsSdkIT.PROJECT, "js-sdk-cross-node", 300,
                    List.of("node", "js-sdk-cross-node.mjs", a.url().toString(), b.url().toString(), a.serverName()));
        }
        assertEquals(0, client.exitCode(), client.report());
        for (String step : List.of("register", "display names", "room across nodes", "messages in order on both",
                "back-pagination", "typing", "receipts", "profiles", "encrypted room",
                "encrypted message from A to B", "encrypted message from B to A")) {
            assertTrue(client.passed(step), step + ": " + client.report());
        }
        assertTrue(client.lines().contains("DONE"), client.report());
    }
}
