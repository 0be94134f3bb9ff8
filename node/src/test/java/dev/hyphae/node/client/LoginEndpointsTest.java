package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.account.AccountSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginEndpointsTest {
    private static final String LOGIN = "/_matrix/client/v3/login";
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    @TempDir
    Path dataDir;

    private TestNode node;
    private final MutableClock clock = new MutableClock();

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private void start() {
        node = new TestNode(dataDir, false, s -> s,
                new AccountSettings(Duration.ofMinutes(5), Duration.ofMinutes(15)), clock);
        node.accounts.createAccount("alice", "correct horse", false);
    }

    private static String passwordLogin(String identifierJson, String password, String extra) {
        return "{\"type\": \"m.login.password\", " + identifierJson + ", \"password\": \"" + password + "\"" + extra + "}";
    }

    @Test
    void theLoginFlowsOfferPasswordLogin() {
        start();
        TestNode.Reply flows = node.get(LOGIN, null);
        assertEquals(200, flows.status());
        assertEquals("m.login.password", flows.body().get("flows").get(0).get("type").asText());
    }

    @Test
    void passwordLoginAcceptsUserIdentifiersFullUserIdsAndTheLegacyUserField() {
        start();
        for (String identifier : new String[] {
                "\"identifier\": {\"type\": \"m.id.user\", \"user\": \"alice\"}",
                "\"identifier\": {\"type\": \"m.id.user\", \"user\": \"@alice:localhost\"}",
                "\"user\": \"alice\""}) {
            TestNode.Reply reply = node.post(LOGIN, passwordLogin(identifier, "correct horse", ""), null);
            assertEquals(200, reply.status(), reply.body().toString());
            assertEquals("@alice:localhost", reply.body().get("user_id").asText());
            assertFalse(reply.body().has("refresh_token"));
            assertEquals(200, node.get(WHOAMI, reply.body().get("access_token").asText()).status());
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreForbiddenAlike() {
        start();
        TestNode.Reply wrong = node.post(LOGIN, passwordLogin("\"user\": \"alice\"", "battery staple", ""), null);
        TestNode.Reply unknown = node.post(LOGIN, passwordLogin("\"user\": \"nobody\"", "correct horse", ""), null);
        TestNode.Reply foreign = node.post(LOGIN, passwordLogin("\"user\": \"@alice:elsewhere.org\"", "correct horse", ""), null);
        for (TestNode.Reply reply : new TestNode.Reply[] {wrong, unknown, foreign}) {
            assertEquals(403, reply.status());
            assertEquals("M_FORBIDDEN", reply.errcode());
            assertEquals(wrong.body().get("error"), reply.body().get("error"));
        }
    }

    @Test
    void unknownLoginTypesAndIdentifierTypesAreRefused() {
        start();
        TestNode.Reply type = node.post(LOGIN, "{\"type\": \"m.login.token\", \"token\": \"x\"}", null);
        assertEquals(400, type.status());
        assertEquals("M_UNKNOWN", type.errcode());
        TestNode.Reply identifier = node.post(LOGIN, passwordLogin(
                "\"identifier\": {\"type\": \"m.id.thirdparty\", \"medium\": \"email\", \"address\": \"a@b.c\"}",
                "correct horse", ""), null);
        assertEquals(400, identifier.status());
    }

    @Test
    void aRefreshTokenRotatesAndTheOldTokensStopWorking() {
        start();
        TestNode.Reply login = node.post(LOGIN, passwordLogin("\"user\": \"alice\"", "correct horse",
                ", \"refresh_token\": true"), null);
        assertEquals(200, login.status(), login.body().toString());
        String access = login.body().get("access_token").asText();
        String refresh = login.body().get("refresh_token").asText();
        assertEquals(Duration.ofMinutes(5).toMillis(), login.body().get("expires_in_ms").asLong());

        TestNode.Reply refreshed = node.post("/_matrix/client/v3/refresh",
                "{\"refresh_token\": \"" + refresh + "\"}", null);
        assertEquals(200, refreshed.status(), refreshed.body().toString());
        String newAccess = refreshed.body().get("access_token").asText();
        assertNotEquals(access, newAccess);
        assertNotEquals(refresh, refreshed.body().get("refresh_token").asText());

        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, access).errcode());
        assertEquals(login.body().get("device_id"), node.get(WHOAMI, newAccess).body().get("device_id"));
        TestNode.Reply reused = node.post("/_matrix/client/v3/refresh", "{\"refresh_token\": \"" + refresh + "\"}", null);
        assertEquals(401, reused.status());
        assertEquals("M_UNKNOWN_TOKEN", reused.errcode());
        assertFalse(reused.body().get("soft_logout").asBoolean());
    }

    @Test
    void anExpiredAccessTokenIsUnknownWithSoftLogout() {
        start();
        TestNode.Reply login = node.post(LOGIN, passwordLogin("\"user\": \"alice\"", "correct horse",
                ", \"refresh_token\": true"), null);
        clock.advance(Duration.ofMinutes(6));
        TestNode.Reply expired = node.get(WHOAMI, login.body().get("access_token").asText());
        assertEquals(401, expired.status());
        assertEquals("M_UNKNOWN_TOKEN", expired.errcode());
        assertTrue(expired.body().get("soft_logout").asBoolean());
        TestNode.Reply refreshed = node.post("/_matrix/client/v3/refresh",
                "{\"refresh_token\": \"" + login.body().get("refresh_token").asText() + "\"}", null);
        assertEquals(200, node.get(WHOAMI, refreshed.body().get("access_token").asText()).status());
    }

    @Test
    void logoutDeletesTheDeviceAndLogoutAllEndsEverySession() {
        start();
        String one = loginToken("ONE");
        String two = loginToken("TWO");
        String three = loginToken("THREE");
        assertEquals(200, node.post("/_matrix/client/v3/logout", null, one).status());
        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, one).errcode());
        TestNode.Reply devices = node.get("/_matrix/client/v3/devices", two);
        assertEquals(2, devices.body().get("devices").size(), devices.body().toString());

        assertEquals(200, node.post("/_matrix/client/v3/logout/all", "{}", two).status());
        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, two).errcode());
        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, three).errcode());
    }

    @Test
    void loggingInWithAKnownDeviceIdRevokesThatDevicesEarlierToken() {
        start();
        String first = loginToken("LAPTOP");
        String second = loginToken("LAPTOP");
        assertEquals("M_UNKNOWN_TOKEN", node.get(WHOAMI, first).errcode());
        assertEquals("LAPTOP", node.get(WHOAMI, second).body().get("device_id").asText());
    }

    @Test
    void aDeactivatedAccountCannotLogIn() {
        start();
        node.accounts.deactivate(dev.hyphae.node.identifier.UserId.parse("@alice:localhost"));
        TestNode.Reply reply = node.post(LOGIN, passwordLogin("\"user\": \"alice\"", "correct horse", ""), null);
        assertEquals(403, reply.status());
        assertEquals("M_USER_DEACTIVATED", reply.errcode());
    }

    private String loginToken(String deviceId) {
        TestNode.Reply login = node.post(LOGIN, passwordLogin("\"user\": \"alice\"", "correct horse",
                ", \"device_id\": \"" + deviceId + "\""), null);
        assertEquals(200, login.status(), login.body().toString());
        return login.body().get("access_token").asText();
    }
}
