package dev.hyphae.node.federation.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.KeyChanges;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceListUpdateReceiverTest {
    private static final String REMOTE = "remote.example";
    private static final String BOB = "@bob:" + REMOTE;

    @TempDir
    Path directory;

    private FederatedE2eeFixture node;
    private final List<String> invalidated = new CopyOnWriteArrayList<>();
    private DeviceListUpdateReceiver receiver;

    @BeforeEach
    void open() {
        node = new FederatedE2eeFixture(directory, (byte) 9);
        receiver = new DeviceListUpdateReceiver(node.e2ee.deviceLists(), node.server, invalidated::add);
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static ObjectNode update(String userId) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("user_id", userId);
        content.put("device_id", "BOBDEV");
        content.put("stream_id", 7);
        return content;
    }

    @Test
    void aRemoteUsersUpdateIsReportedToLocalUsersSharingARoom() {
        node.roomSharedWith(BOB);
        long before = node.e2ee.deviceLists().currentPosition();
        receiver.receive(REMOTE, update(BOB));
        long after = node.e2ee.deviceLists().currentPosition();
        assertTrue(after > before);
        KeyChanges changes = node.e2ee.deviceLists().changes(node.alice, before, after);
        assertEquals(List.of(BOB), changes.changed());
        assertEquals(List.of(BOB), invalidated);

        receiver.receive(REMOTE, JsonNodeFactory.instance.objectNode().put("user_id", BOB)
                .set("master_key", JsonNodeFactory.instance.objectNode()));
        assertTrue(node.e2ee.deviceLists().currentPosition() > after);
        // News about a remote user is never sent on to other servers.
        assertTrue(node.store.read(tx -> tx.federationQueue().destinationsWithPending()).isEmpty());
    }

    @Test
    void theE2eeReceiversCoverTheirThreeEduTypes() {
        assertEquals(java.util.Set.of("m.direct_to_device", "m.device_list_update", "m.signing_key_update"),
                E2eeEduReceivers.of(node.e2ee, node.server, user -> { }, user -> { }).keySet());
    }

    @Test
    void updatesAboutUsersOfAnotherServerOrWithoutAUserAreDropped() {
        long before = node.e2ee.deviceLists().currentPosition();
        receiver.receive("other.example", update(BOB));
        receiver.receive(REMOTE, update(node.alice));
        receiver.receive(REMOTE, JsonNodeFactory.instance.objectNode());
        receiver.receive(REMOTE, update("not a user"));
        assertEquals(before, node.e2ee.deviceLists().currentPosition());
        assertTrue(invalidated.isEmpty());
    }
}
