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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
    @TempDir
    Path dir;

    private Path dataDir;
    private Path passwordFile;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void paths() throws Exception {
        dataDir = dir.resolve("node");
        passwordFile = Files.writeString(dir.resolve("password"), "first secret\n");
    }

    private int hyphae(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private JsonNode list() throws Exception {
        assertEquals(0, hyphae("user", "list", "--data-dir", dataDir.toString()), err.toString());
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void listShowsEveryAccountWithItsFlags() throws Exception {
        assertEquals(0, hyphae("user", "add", "bob", "--password-file", passwordFile.toString(), "--admin",
                "--data-dir", dataDir.toString()), err.toString());
        assertEquals(0, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                "--data-dir", dataDir.toString()), err.toString());

        JsonNode users = list();
        assertEquals(2, users.size(), users.toString());
        assertTrue(users.get(0).get("user_id").asText().startsWith("@alice:"), users.toString());
        assertFalse(users.get(0).get("admin").asBoolean());
        assertTrue(users.get(1).get("admin").asBoolean());
    }

    @Test
    void passwdChangesThePasswordOfAnExistingUser() throws Exception {
        assertEquals(0, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                "--data-dir", dataDir.toString()), err.toString());
        Path newPassword = Files.writeString(dir.resolve("new"), "second secret\n");
        assertEquals(0, hyphae("user", "passwd", "alice", "--password-file", newPassword.toString(),
                "--data-dir", dataDir.toString()), err.toString());
        try (NodeAccounts accounts = new NodeAccounts(dataDir)) {
            var userId = accounts.service().localUser("alice");
            assertEquals(userId, accounts.service().checkPassword("alice", "second secret"));
        }
    }

    @Test
    void deactivateMarksTheAccountAndASecondDeactivateIsRefused() throws Exception {
        assertEquals(0, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                "--data-dir", dataDir.toString()), err.toString());
        assertEquals(0, hyphae("user", "deactivate", "alice", "--data-dir", dataDir.toString()), err.toString());
        assertTrue(list().get(0).get("deactivated").asBoolean());

        assertEquals(1, hyphae("user", "deactivate", "alice", "--data-dir", dataDir.toString()));
        assertOneLineError("is deactivated");
    }

    @Test
    void commandsOnAnUnknownUserFailWithOneLine() throws Exception {
        assertEquals(0, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                "--data-dir", dataDir.toString()), err.toString());
        assertEquals(1, hyphae("user", "passwd", "nobody", "--password-file", passwordFile.toString(),
                "--data-dir", dataDir.toString()));
        assertOneLineError("no account");
        assertEquals(1, hyphae("user", "deactivate", "@alice:example.org", "--data-dir", dataDir.toString()));
        assertOneLineError("not a user ID of this node");
    }

    @Test
    void commandsOnADirectoryWithoutANodeFailWithoutMakingOne() {
        assertEquals(1, hyphae("user", "list", "--data-dir", dataDir.toString()));
        assertOneLineError("no node in");
        assertFalse(Files.exists(dataDir));
    }

    @Test
    void anEmptyPasswordIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertEquals(1, hyphae("user", "add", "alice", "--password-file", empty.toString(),
                "--data-dir", dataDir.toString()));
        assertOneLineError("the password is empty");
    }

    private void assertOneLineError(String expected) {
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("hyphae: ") && err.toString().contains(expected), err.toString());
    }
}
