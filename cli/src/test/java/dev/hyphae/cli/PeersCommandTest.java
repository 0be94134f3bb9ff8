package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.store.StoredPeer;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeersCommandTest {
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void peersAreListedMostRecentlySeenFirstWithOnlyTheirLiveAddresses() throws Exception {
        long now = System.currentTimeMillis();
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            store.write(tx -> {
                tx.peers().put(new StoredPeer("12D3KooWOld", Optional.empty(), List.of("/ipfs/ping/1.0.0"),
                        List.of(new StoredPeer.Address("/ip4/127.0.0.1/tcp/1", now + 60_000)), Optional.empty(), now - 5_000));
                tx.peers().put(new StoredPeer("12D3KooWNew", Optional.empty(), List.of(),
                        List.of(new StoredPeer.Address("/ip4/127.0.0.1/tcp/2", now + 60_000),
                                new StoredPeer.Address("/ip4/127.0.0.1/tcp/3", now - 1)), Optional.empty(), now));
                return null;
            }).join();
        }
        assertEquals(0, Hyphae.execute(new String[] {"peers", "--data-dir", dataDir.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        JsonNode peers = new ObjectMapper().readTree(out.toString());
        assertEquals(2, peers.size());
        assertEquals("12D3KooWNew", peers.get(0).get("peer_id").asText());
        assertEquals(List.of("/ip4/127.0.0.1/tcp/2"), List.of(peers.get(0).get("addresses").get(0).asText()));
        assertEquals(1, peers.get(0).get("addresses").size());
        assertEquals("/ipfs/ping/1.0.0", peers.get(1).get("protocols").get(0).asText());
    }

    @Test
    void aDirectoryWithoutANodeIsRefusedInOneLine() {
        assertEquals(1, Hyphae.execute(new String[] {"peers", "--data-dir", dataDir.resolve("none").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(err.toString().startsWith("hyphae: no node in"), err.toString());
    }
}
