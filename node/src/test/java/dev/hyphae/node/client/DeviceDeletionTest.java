package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.signing.SigningKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a device is a device list change, and the device's keys go with it. */
class DeviceDeletionTest {
    private static final String V3 = "/_matrix/client/v3";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Logs alice in on another device; returns its token and device ID. */
    private String[] secondDevice() {
        RoomsTestNode.Reply login = node.post(V3 + "/login", """
                {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": "alice"}, "password": "pw"}""",
                null);
        assertEquals(200, login.status(), login.body().toString());
        return new String[] {login.body().get("access_token").asText(), login.body().get("device_id").asText()};
    }

    private String syncToken(String token) {
        RoomsTestNode.Reply sync = node.get(V3 + "/sync", token);
        assertEquals(200, sync.status(), sync.body().toString());
        return sync.body().get("next_batch").asText();
    }

    private List<String> changedSince(String token, String since) {
        RoomsTestNode.Reply sync = node.get(V3 + "/sync?since=" + RoomsTestNode.encode(since), token);
        assertEquals(200, sync.status(), sync.body().toString());
        List<String> changed = new ArrayList<>();
        sync.body().path("device_lists").path("changed").forEach(user -> changed.add(user.asText()));
        return changed;
    }

    private void uploadKeys(String token, String deviceId) {
        String userId = node.userId("alice");
        SigningKey key = E2eeUser.newKey();
        ObjectNode keys = E2eeUser.JSON.objectNode();
        keys.put("user_id", userId);
        keys.put("device_id", deviceId);
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2");
        keys.putObject("keys").put("curve25519:" + deviceId, "curve" + deviceId)
                .put("ed25519:" + deviceId, E2eeUser.publicKey(key));
        E2eeUser.sign(keys, userId, "ed25519:" + deviceId, key);
        ObjectNode body = E2eeUser.JSON.objectNode();
        body.set("device_keys", keys);
        RoomsTestNode.Reply upload = node.post(V3 + "/keys/upload", body.toString(), token);
        assertEquals(200, upload.status(), upload.body().toString());
    }

    private JsonNode queriedDevices(String token) {
        RoomsTestNode.Reply query = node.post(V3 + "/keys/query",
                "{\"device_keys\": {\"" + node.userId("alice") + "\": []}}", token);
        assertEquals(200, query.status(), query.body().toString());
        return query.body().path("device_keys").path(node.userId("alice"));
    }

    @Test
    void loggingOutADeviceShowsInTheUsersOtherDevicesDeviceListsChanged() {
        String[] other = secondDevice();
        String since = syncToken(alice);
        assertEquals(200, node.post(V3 + "/logout", "{}", other[0]).status());
        assertEquals(List.of(node.userId("alice")), changedSince(alice, since));
    }

    @Test
    void deletingADeviceShowsInTheDeviceListsOfUsersSharingARoom() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
        String[] other = secondDevice();
        String since = syncToken(bob);
        RoomsTestNode.Reply first = node.send("DELETE", V3 + "/devices/" + other[1], null, alice);
        assertEquals(401, first.status());
        RoomsTestNode.Reply done = node.send("DELETE", V3 + "/devices/" + other[1], """
                {"auth": {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": "alice"},
                 "password": "pw", "session": "%s"}}""".formatted(first.body().get("session").asText()), alice);
        assertEquals(200, done.status(), done.body().toString());
        assertTrue(changedSince(bob, since).contains(node.userId("alice")));
    }

    @Test
    void usersSharingNoRoomAreNotTold() {
        String[] other = secondDevice();
        String since = syncToken(bob);
        assertEquals(200, node.post(V3 + "/logout", "{}", other[0]).status());
        assertFalse(changedSince(bob, since).contains(node.userId("alice")));
    }

    @Test
    void aDeletedDevicesKeysAreGone() {
        String[] other = secondDevice();
        uploadKeys(other[0], other[1]);
        assertTrue(queriedDevices(bob).has(other[1]));
        RoomsTestNode.Reply first = node.post(V3 + "/delete_devices", "{\"devices\": [\"" + other[1] + "\"]}", alice);
        assertEquals(401, first.status());
        RoomsTestNode.Reply done = node.post(V3 + "/delete_devices", """
                {"devices": ["%s"], "auth": {"type": "m.login.password",
                 "identifier": {"type": "m.id.user", "user": "alice"}, "password": "pw", "session": "%s"}}"""
                .formatted(other[1], first.body().get("session").asText()), alice);
        assertEquals(200, done.status(), done.body().toString());
        assertFalse(queriedDevices(bob).has(other[1]));
        assertEquals(0, node.store.read(tx -> tx.deviceKeys().forUser(node.userId("alice"))).size());
    }

    @Test
    void deletingAnUnknownDeviceIsNoChange() {
        String since = syncToken(alice);
        long before = node.e2ee.deviceLists().currentPosition();
        node.accounts.deleteDevices(dev.hyphae.node.identifier.UserId.parse(node.userId("alice")), List.of("NOSUCH"));
        assertEquals(before, node.e2ee.deviceLists().currentPosition());
        assertEquals(List.of(), changedSince(alice, since));
    }
}
