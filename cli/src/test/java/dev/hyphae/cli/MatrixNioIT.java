package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * matrix-nio 0.20 with libolm (Debian's python3-matrix-nio and python3-olm, run with the system's
 * /usr/bin/python3) against a running node, over the legacy r0 paths it uses: registration and
 * login, an encrypted room between two users, a message decrypted, and an encrypted file uploaded,
 * downloaded and decrypted.
 */
class MatrixNioIT {
    static final Path PROJECT = Path.of("src", "test", "python");

    @TempDir
    Path dataDir;

    @Test
    void matrixNioClientsExchangeEncryptedMessagesAndFilesThroughTheNode() throws Exception {
        ClientProcess client;
        try (RunningNode node = new RunningNode(dataDir)) {
            client = ClientProcess.run(PROJECT, "nio-client", 150,
                    List.of("/usr/bin/python3", "nio_client.py", node.url()));
        }
        assertEquals(0, client.exitCode(), client.report());
        for (String step : List.of("register and login", "encrypted room", "encrypted message", "encrypted file")) {
            assertTrue(client.passed(step), step + ": " + client.report());
        }
        assertTrue(client.lines().contains("DONE"), client.report());
    }
}
