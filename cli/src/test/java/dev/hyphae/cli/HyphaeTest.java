package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyphaeTest {
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hyphae(String... args) {
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void idPrintsTheSameOnionServerNameAndPeerIdOnEveryRun() throws Exception {
        assertEquals(0, hyphae("id", "--data-dir", dataDir.toString()));
        JsonNode first = new ObjectMapper().readTree(out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, hyphae("id", "--data-dir", dataDir.toString()));
        JsonNode second = new ObjectMapper().readTree(out.toString());

        assertTrue(first.get("server_name").asText().matches("[a-z2-7]{56}\\.onion"), first.toString());
        assertTrue(first.get("peer_id").asText().startsWith("12D3KooW"), first.toString());
        assertEquals(first, second);
    }

    @Test
    void runPreparesTheDataDirectoryAndPrintsTheServerName() throws Exception {
        assertEquals(0, hyphae("run", "--data-dir", dataDir.toString()));
        assertTrue(out.toString().contains(".onion"), out.toString());
        assertTrue(Files.exists(dataDir.resolve("hyphae.db")));
    }

    @Test
    void anUnknownOptionIsRefusedWithAOneLineReasonAndExitCodeTwo() {
        assertEquals(2, hyphae("run", "--no-such-option"));
        assertTrue(err.toString().startsWith("hyphae: Unknown option: '--no-such-option'"), err.toString());
    }

    @Test
    void aDataDirectoryThatIsAFileFailsWithOneLineAndExitCodeOne() throws Exception {
        Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");
        assertEquals(1, hyphae("run", "--data-dir", file.toString()));
        String message = err.toString();
        assertTrue(message.startsWith("hyphae: "), message);
        assertEquals(1, message.lines().count(), message);
    }
}
