package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.SigningKey;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyQueriesTest extends E2eeFixture {
    private final SigningKey phoneKey = newKey();
    private final SigningKey laptopKey = newKey();

    private ObjectNode query(String requester, String user, String... devices) {
        ObjectNode body = JSON.objectNode();
        var list = body.putObject("device_keys").putArray(user);
        for (String device : devices) {
            list.add(device);
        }
        return e2ee.keyQueries().query(requester, body).join();
    }

    @Test
    void localDeviceKeysAreReturnedWithTheDeviceDisplayName() {
        createUser(ALICE, "PHONE", "LAPTOP");
        createUser(BOB, "DESK");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        uploadDeviceKeys(ALICE, "LAPTOP", laptopKey);

        ObjectNode answer = query(BOB, ALICE);

        ObjectNode phone = (ObjectNode) answer.path("device_keys").path(ALICE).path("PHONE");
        assertEquals("Device PHONE", phone.path("unsigned").path("device_display_name").asText());
        phone.remove("unsigned");
        assertEquals(deviceKeys(ALICE, "PHONE", phoneKey), phone);
        assertTrue(answer.path("device_keys").path(ALICE).has("LAPTOP"));
        assertEquals(JSON.objectNode(), answer.get("failures"));
    }

    @Test
    void onlyTheRequestedDevicesAreReturnedAndUnknownUsersHaveNone() {
        createUser(ALICE, "PHONE", "LAPTOP");
        uploadDeviceKeys(ALICE, "PHONE", phoneKey);
        uploadDeviceKeys(ALICE, "LAPTOP", laptopKey);

        ObjectNode answer = query(ALICE, ALICE, "LAPTOP");
        assertFalse(answer.path("device_keys").path(ALICE).has("PHONE"));
        assertTrue(answer.path("device_keys").path(ALICE).has("LAPTOP"));

        assertEquals(0, query(ALICE, "@nobody:example.org").path("device_keys").path("@nobody:example.org").size());
    }

    @Test
    void userSigningKeyIsShownOnlyToItsOwner() {
        createUser(ALICE, "PHONE");
        createUser(BOB, "DESK");
        CrossSigningSet keys = crossSigningSet(ALICE);
        e2ee.crossSigning().uploadSigningKeys(ALICE, keys.body()).join();

        ObjectNode own = query(ALICE, ALICE);
        assertEquals(keys.body().get("master_key"), own.path("master_keys").get(ALICE));
        assertEquals(keys.body().get("self_signing_key"), own.path("self_signing_keys").get(ALICE));
        assertEquals(keys.body().get("user_signing_key"), own.path("user_signing_keys").get(ALICE));

        ObjectNode others = query(BOB, ALICE);
        assertEquals(keys.body().get("master_key"), others.path("master_keys").get(ALICE));
        assertFalse(others.path("user_signing_keys").has(ALICE));
    }

    @Test
    void remoteUsersGoToTheirServerAndAnUnreachableServerIsAFailure() {
        remoteKeys = new RemoteKeys() {
            @Override
            public CompletableFuture<ObjectNode> queryKeys(String serverName, ObjectNode request) {
                if (serverName.equals("down.example")) {
                    return CompletableFuture.failedFuture(new IllegalStateException("unreachable"));
                }
                ObjectNode answer = JSON.objectNode();
                answer.putObject("device_keys").set(REMOTE, request.path("device_keys").path(REMOTE).isArray()
                        ? JSON.objectNode().put("marker", serverName) : JSON.objectNode());
                return CompletableFuture.completedFuture(answer);
            }

            @Override
            public CompletableFuture<ObjectNode> claimKeys(String serverName, ObjectNode request) {
                throw new AssertionError("not a claim");
            }
        };
        ObjectNode body = JSON.objectNode();
        ObjectNode wanted = body.putObject("device_keys");
        wanted.putArray(REMOTE);
        wanted.putArray("@dave:down.example");

        ObjectNode answer = e2ee.keyQueries().query(ALICE, body).join();

        assertEquals("remote.example", answer.path("device_keys").path(REMOTE).path("marker").asText());
        assertTrue(answer.path("failures").has("down.example"));
        assertFalse(answer.path("failures").has("remote.example"));
    }

    @Test
    void malformedQueryIsRefused() {
        ObjectNode body = JSON.objectNode();
        body.putObject("device_keys").put(ALICE, "PHONE");
        throwsWith("M_BAD_JSON", () -> e2ee.keyQueries().query(ALICE, body));
        ObjectNode notUser = JSON.objectNode();
        notUser.putObject("device_keys").putArray("alice");
        throwsWith("M_INVALID_PARAM", () -> e2ee.keyQueries().query(ALICE, notUser));
    }
}
