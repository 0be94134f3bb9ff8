package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationEndpointsTest {
    @TempDir
    Path dataDir;

    private TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void openRegistrationAcceptsOneShotDummyAuthOnTheR0PathAsMatrixNioSendsIt() {
        node = new TestNode(dataDir, true);
        TestNode.Reply reply = node.post("/_matrix/client/r0/register", """
                {"username": "alice", "password": "secret", "auth": {"type": "m.login.dummy"}}""", null);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("@alice:localhost", reply.body().get("user_id").asText());
        String token = reply.body().get("access_token").asText();
        TestNode.Reply whoami = node.get("/_matrix/client/v3/account/whoami", token);
        assertEquals("@alice:localhost", whoami.body().get("user_id").asText());
        assertEquals(reply.body().get("device_id").asText(), whoami.body().get("device_id").asText());
    }

    @Test
    void registrationWithoutAuthAnswers401WithFlowsAndCompletesInTheSession() {
        node = new TestNode(dataDir, true);
        TestNode.Reply first = node.post("/_matrix/client/v3/register",
                "{\"username\": \"bob\", \"password\": \"pw\"}", null);
        assertEquals(401, first.status());
        assertNull(first.errcode(), "a plain request for authentication is no error");
        assertTrue(first.body().get("flows").toString().contains("m.login.dummy"), first.body().toString());
        String session = first.body().get("session").asText();
        TestNode.Reply second = node.post("/_matrix/client/v3/register", """
                {"username": "bob", "password": "pw", "device_id": "BOBPHONE",
                 "initial_device_display_name": "Bob's phone",
                 "auth": {"type": "m.login.dummy", "session": "%s"}}""".formatted(session), null);
        assertEquals(200, second.status(), second.body().toString());
        assertEquals("BOBPHONE", second.body().get("device_id").asText());
        TestNode.Reply devices = node.get("/_matrix/client/v3/devices", second.body().get("access_token").asText());
        assertEquals("Bob's phone", devices.body().get("devices").get(0).get("display_name").asText());
    }

    @Test
    void closedRegistrationWithoutTokensIsForbidden() {
        node = new TestNode(dataDir, false);
        TestNode.Reply reply = node.post("/_matrix/client/v3/register", """
                {"username": "mallory", "password": "pw", "auth": {"type": "m.login.dummy"}}""", null);
        assertEquals(403, reply.status());
        assertEquals("M_FORBIDDEN", reply.errcode());
    }

    @Test
    void closedRegistrationRefusesDummyAuthAndAcceptsARegistrationTokenOnce() {
        node = new TestNode(dataDir, false);
        node.registrationTokens.add("invite-1", 1);
        TestNode.Reply dummy = node.post("/_matrix/client/v3/register", """
                {"username": "carol", "password": "pw", "auth": {"type": "m.login.dummy"}}""", null);
        assertEquals(401, dummy.status());
        assertEquals("M_FORBIDDEN", dummy.errcode());
        assertFalse(dummy.body().get("flows").toString().contains("m.login.dummy"));

        TestNode.Reply validity = node.get(
                "/_matrix/client/v1/register/m.login.registration_token/validity?token=invite-1", null);
        assertTrue(validity.body().get("valid").asBoolean());

        TestNode.Reply withToken = node.post("/_matrix/client/v3/register", """
                {"username": "carol", "password": "pw",
                 "auth": {"type": "m.login.registration_token", "token": "invite-1"}}""", null);
        assertEquals(200, withToken.status(), withToken.body().toString());

        TestNode.Reply again = node.post("/_matrix/client/v3/register", """
                {"username": "dave", "password": "pw",
                 "auth": {"type": "m.login.registration_token", "token": "invite-1"}}""", null);
        assertEquals(403, again.status(), "the token had one use, so registration is closed again");
        assertEquals("M_FORBIDDEN", again.errcode());
        assertFalse(node.get("/_matrix/client/v1/register/m.login.registration_token/validity?token=invite-1", null)
                .body().get("valid").asBoolean());
    }

    @Test
    void takenAndMalformedUsernamesAreRefusedBeforeAuthentication() {
        node = new TestNode(dataDir, true);
        node.accounts.createAccount("erin", "pw", false);
        TestNode.Reply taken = node.post("/_matrix/client/v3/register", "{\"username\": \"erin\"}", null);
        assertEquals(400, taken.status());
        assertEquals("M_USER_IN_USE", taken.errcode());
        TestNode.Reply invalid = node.post("/_matrix/client/v3/register", "{\"username\": \"no spaces\"}", null);
        assertEquals(400, invalid.status());
        assertEquals("M_INVALID_USERNAME", invalid.errcode());
    }

    @Test
    void availabilityTellsFreeTakenAndInvalidNamesApart() {
        node = new TestNode(dataDir, false);
        node.accounts.createAccount("frank", "pw", false);
        assertTrue(node.get("/_matrix/client/v3/register/available?username=grace", null)
                .body().get("available").asBoolean());
        assertEquals("M_USER_IN_USE", node.get("/_matrix/client/v3/register/available?username=frank", null).errcode());
        assertEquals("M_INVALID_USERNAME",
                node.get("/_matrix/client/v3/register/available?username=%E2%9C%93", null).errcode());
        assertEquals("M_MISSING_PARAM", node.get("/_matrix/client/v3/register/available", null).errcode());
    }

    @Test
    void inhibitLoginCreatesTheAccountWithoutADevice() {
        node = new TestNode(dataDir, true);
        TestNode.Reply reply = node.post("/_matrix/client/v3/register", """
                {"username": "heidi", "password": "pw", "inhibit_login": true, "auth": {"type": "m.login.dummy"}}""",
                null);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("@heidi:localhost", reply.body().get("user_id").asText());
        assertFalse(reply.body().has("access_token"));
    }

    @Test
    void registrationWithoutUsernameGetsAGeneratedOne() {
        node = new TestNode(dataDir, true);
        TestNode.Reply reply = node.post("/_matrix/client/v3/register",
                "{\"password\": \"pw\", \"auth\": {\"type\": \"m.login.dummy\"}}", null);
        assertEquals(200, reply.status(), reply.body().toString());
        assertTrue(reply.body().get("user_id").asText().matches("@[a-z0-9]{12}:localhost"), reply.body().toString());
    }

    @Test
    void guestRegistrationIsForbidden() {
        node = new TestNode(dataDir, true);
        TestNode.Reply reply = node.post("/_matrix/client/v3/register?kind=guest", "{}", null);
        assertEquals(403, reply.status());
        assertEquals("M_FORBIDDEN", reply.errcode());
    }

    @Test
    void anUnknownAuthSessionIsRefused() {
        node = new TestNode(dataDir, true);
        TestNode.Reply reply = node.post("/_matrix/client/v3/register", """
                {"username": "ivan", "auth": {"type": "m.login.dummy", "session": "no-such-session"}}""", null);
        assertEquals(400, reply.status());
    }
}
