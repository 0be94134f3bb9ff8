package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * matrix-nio 0.20 with libolm, one user on each of two {@code hyphae run} processes federating over
 * libp2p on loopback: an encrypted room joined across the nodes, messages decrypted both ways, and
 * an encrypted file uploaded on node A, fetched by node B over federation and decrypted there.
 */
class CrossNodeNioIT {
    @TempDir
    Path dir;

    @Test
    void matrixNioUsersOnTwoNodesExchangeEncryptedMessagesAndFiles() throws Exception {
        ClientProcess client;
        try (NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start()) {
            client = ClientProcess.run(MatrixNioIT.PROJECT, "nio-cross-node", 250,
                    List.of("/usr/bin/python3", "nio_cross_node.py", a.url().toString(), b.url().toString()));
        }
        assertEquals(0, client.exitCode(), client.report());
        for (String step : List.of("register and login", "encrypted room", "encrypted message from A to B",
                "encrypted message from B to A", "encrypted file")) {
            assertTrue(client.passed(step), step + ": " + client.report());
        }
        assertTrue(client.lines().contains("DONE"), client.report());
    }
}
