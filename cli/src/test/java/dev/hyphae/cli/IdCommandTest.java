package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hyphae(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void theInviteLinkNamesTheUserAndCarriesTheListenAddressesAsHints() throws Exception {
        assertEquals(0, hyphae("id", "--data-dir", dir.toString(), "--user", "alice",
                "--p2p-listen", "/ip4/127.0.0.1/tcp/4555"), err.toString());
        JsonNode id = new ObjectMapper().readTree(out.toString());
        String link = id.get("invite_link").asText();
        assertTrue(link.startsWith("matrix:u/alice:" + id.get("server_name").asText() + "?action=chat&dev.hyphae.addr="), link);
        assertTrue(link.endsWith("%2Fip4%2F127.0.0.1%2Ftcp%2F4555%2Fp2p%2F" + id.get("peer_id").asText()), link);
    }

    @Test
    void withoutUserTheLinkNamesTheFirstActiveAccount() throws Exception {
        Path password = Files.writeString(dir.resolveSibling(dir.getFileName() + "-pw"), "pw\n");
        try {
            assertEquals(0, hyphae("user", "add", "zoe", "--password-file", password.toString(), "--data-dir", dir.toString()));
        } finally {
            Files.delete(password);
        }
        assertEquals(0, hyphae("id", "--data-dir", dir.toString()), err.toString());
        assertTrue(new ObjectMapper().readTree(out.toString()).get("invite_link").asText().startsWith("matrix:u/zoe:"));
    }

    @Test
    void aNodeWithoutUsersHasNoLinkAndQrSaysWhy() throws Exception {
        assertEquals(0, hyphae("id", "--data-dir", dir.toString()), err.toString());
        assertFalse(new ObjectMapper().readTree(out.toString()).has("invite_link"));
        assertEquals(1, hyphae("id", "--data-dir", dir.toString(), "--qr"));
        assertTrue(err.toString().startsWith("hyphae: no user to link to"), err.toString());
    }

    @Test
    void theQrCodeIsASquareOfHalfBlocks() {
        assertEquals(0, hyphae("id", "--data-dir", dir.toString(), "--user", "alice", "--qr"), err.toString());
        List<String> lines = out.toString().lines().skip(1).toList();
        assertTrue(lines.size() > 10, out.toString());
        int width = lines.get(0).length();
        assertTrue(lines.stream().allMatch(line -> line.length() == width && line.matches("[ ▀▄█]+")), out.toString());
        // Two modules per line: the code is about as tall (in modules) as it is wide.
        assertTrue(Math.abs(lines.size() * 2 - width) <= 1, lines.size() + " lines for width " + width);
    }

    @Test
    void aUserOfAnotherServerIsRefused() {
        assertEquals(1, hyphae("id", "--data-dir", dir.toString(), "--user", "@bob:example.org"));
        assertTrue(err.toString().startsWith("hyphae: not a user of this node"), err.toString());
    }
}
