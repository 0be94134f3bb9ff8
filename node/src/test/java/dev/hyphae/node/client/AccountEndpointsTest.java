package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountEndpointsTest {
    private static final String PASSWORD = "/_matrix/client/v3/account/password";
    private static final String DEACTIVATE = "/_matrix/client/v3/account/deactivate";
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    @TempDir
    Path dataDir;

    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir, false);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static String passwordAuth(String user, String password, String session) {
        return "{\"type\": \"m.login.password\", \"identifier\": {\"type\": \"m.id.user\", \"user\": \"" + user
                + "\"}, \"password\": \"" + password + "\", \"session\": \"" + session + "\"}";
    }

    @Test
    void whoamiNamesTheUserAndDevice() {
        String token = node.userWithToken("alice", "pw");
        TestNode.Reply reply = node.get(WHOAMI, token);
        assertEquals("@alice:localhost", reply.body().get("user_id").asText());
        assertFalse(reply.body().get("is_guest").asBoolean());
    }

    @Test
    void changingThePasswordNeedsTheOldOneAndLogsOutTheOtherDevices() {
        String token = node.userWithToken("alice", "old");
        String other = node.loginToken("alice", "old");
        TestNode.Reply first = node.post(PASSWORD, "{\"new_password\": \"new\"}", token);
        assertEquals(401, first.status());
        assertNull(first.errcode());
        String session = first.body().get("session").asText();

        TestNode.Reply wrong = node.post(PASSWORD, "{\"new_password\": \"new\", \"auth\": "
                + passwordAuth("alice", "guess", session) + "}", token);
        assertEquals(401, wrong.status());
        assertEquals("M_FORBIDDEN", wrong.errcode());

        TestNode.Reply done = node.post(PASSWORD, "{\"new_password\": \"new\", \"auth\": "
                + passwordAuth("alice", "old", session) + "}", token);
        assertEquals(200, done.status(), done.body().toString());
        assertEquals(200, node.get(WHOAMI, token).status(), "the requesting device stays logged in");
        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, other).errcode());
        assertEquals(403, node.post("/_matrix/client/v3/login", """
                {"type": "m.login.password", "user": "alice", "password": "old"}""", null).status());
        assertEquals(200, node.post("/_matrix/client/v3/login", """
                {"type": "m.login.password", "user": "alice", "password": "new"}""", null).status());
    }

    @Test
    void withoutATokenThePasswordStageNamesTheUserWhosePasswordChanges() {
        String token = node.userWithToken("alice", "old");
        TestNode.Reply first = node.post(PASSWORD, "{\"new_password\": \"new\"}", null);
        assertEquals(401, first.status());
        TestNode.Reply done = node.post(PASSWORD, "{\"new_password\": \"new\", \"auth\": "
                + passwordAuth("alice", "old", first.body().get("session").asText()) + "}", null);
        assertEquals(200, done.status(), done.body().toString());
        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, token).errcode(), "every device is logged out");
        assertEquals(200, node.post("/_matrix/client/v3/login", """
                {"type": "m.login.password", "user": "alice", "password": "new"}""", null).status());
    }

    @Test
    void anotherUsersPasswordDoesNotAuthenticate() {
        String token = node.userWithToken("alice", "pw");
        node.accounts.createAccount("bob", "bobpw", false);
        TestNode.Reply first = node.post(PASSWORD, "{\"new_password\": \"x\"}", token);
        TestNode.Reply asBob = node.post(PASSWORD, "{\"new_password\": \"x\", \"auth\": "
                + passwordAuth("bob", "bobpw", first.body().get("session").asText()) + "}", token);
        assertEquals(401, asBob.status());
        assertEquals("M_FORBIDDEN", asBob.errcode());
    }

    @Test
    void deactivationEndsEverySessionAndKeepsTheNameTaken() {
        String token = node.userWithToken("alice", "pw");
        TestNode.Reply first = node.post(DEACTIVATE, "{}", token);
        assertEquals(401, first.status());
        TestNode.Reply done = node.post(DEACTIVATE, "{\"auth\": "
                + passwordAuth("@alice:localhost", "pw", first.body().get("session").asText()) + "}", token);
        assertEquals(200, done.status(), done.body().toString());
        assertEquals("no-support", done.body().get("id_server_unbind_result").asText());
        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, token).errcode());
        assertEquals("M_USER_DEACTIVATED", node.post("/_matrix/client/v3/login", """
                {"type": "m.login.password", "user": "alice", "password": "pw"}""", null).errcode());
        assertEquals("M_USER_IN_USE", node.get("/_matrix/client/v3/register/available?username=alice", null).errcode());
    }

    @Test
    void aSessionCannotBeCarriedToAnotherOperation() {
        String token = node.userWithToken("alice", "pw");
        String session = node.post(PASSWORD, "{\"new_password\": \"x\"}", token).body().get("session").asText();
        TestNode.Reply reply = node.post(DEACTIVATE, "{\"auth\": " + passwordAuth("alice", "pw", session) + "}", token);
        assertEquals(403, reply.status());
        assertEquals(200, node.get(WHOAMI, token).status());
    }
}
