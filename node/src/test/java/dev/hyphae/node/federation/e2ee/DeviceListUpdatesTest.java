package dev.hyphae.node.federation.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.e2ee.DeviceListChange;
import dev.hyphae.node.federation.outbound.ServerServerSchemas;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.CrossSigningKeys;
import dev.hyphae.store.QueuedItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceListUpdatesTest {
    private static final String REMOTE = "remote.example";
    private static final String BOB = "@bob:" + REMOTE;

    @TempDir
    Path directory;

    private FederatedE2eeFixture node;

    @BeforeEach
    void open() {
        node = new FederatedE2eeFixture(directory, (byte) 5);
    }

    @AfterEach
    void close() {
        node.close();
    }

    private List<JsonNode> queuedEdus(String destination) {
        List<JsonNode> edus = new ArrayList<>();
        for (QueuedItem item : node.store.read(tx -> tx.federationQueue().pending(destination, 100))) {
            assertEquals(QueuedItem.Kind.EDU, item.kind());
            edus.add(CanonicalJson.parseObject(item.json()));
        }
        return edus;
    }

    @Test
    void aLocalUsersDeviceChangeIsQueuedForServersSharingARoom() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "PHONE", "Phone");
        node.store.write(tx -> {
            tx.deviceKeys().put(node.alice, "PHONE", "{\"algorithms\":[],\"device_id\":\"PHONE\",\"keys\":"
                    + "{\"ed25519:PHONE\":\"abc\"},\"signatures\":{\"" + node.alice + "\":{\"ed25519:PHONE\":\"sig\"}},"
                    + "\"user_id\":\"" + node.alice + "\"}");
            return node.e2ee.deviceLists().recordChange(tx, node.alice);
        }).join();

        List<JsonNode> edus = queuedEdus(REMOTE);
        assertEquals(1, edus.size());
        assertEquals("m.device_list_update", edus.get(0).get("edu_type").asText());
        JsonNode content = edus.get(0).get("content");
        assertEquals(node.alice, content.get("user_id").asText());
        assertEquals("PHONE", content.get("device_id").asText());
        assertEquals("Phone", content.get("device_display_name").asText());
        assertEquals("abc", content.path("keys").path("keys").path("ed25519:PHONE").asText());
        assertTrue(content.get("stream_id").isIntegralNumber());
        assertFalse(content.get("deleted").asBoolean());
        ServerServerSchemas.load().assertValid("definitions/event-schemas/m.device_list_update.yaml", edus.get(0));
        assertEquals(List.of(REMOTE), node.queuedNotices);
        assertTrue(queuedEdus(node.server).isEmpty());
    }

    @Test
    void aCrossSigningChangeAlsoSendsTheSigningKeys() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "PHONE", null);
        String master = "{\"keys\":{\"ed25519:MPUB\":\"MPUB\"},\"usage\":[\"master\"],\"user_id\":\"" + node.alice + "\"}";
        node.store.write(tx -> {
            tx.crossSigningKeys().put(node.alice, CrossSigningKeys.Usage.MASTER, master);
            return node.e2ee.deviceLists().recordChange(tx, node.alice);
        }).join();
        List<JsonNode> edus = queuedEdus(REMOTE);
        assertEquals(List.of("m.device_list_update", "m.signing_key_update"),
                edus.stream().map(e -> e.get("edu_type").asText()).toList());
        JsonNode signing = edus.get(1).get("content");
        assertEquals(node.alice, signing.get("user_id").asText());
        assertEquals("MPUB", signing.path("master_key").path("keys").path("ed25519:MPUB").asText());
        assertFalse(signing.has("self_signing_key"));
        ServerServerSchemas.load().assertValid("definitions/event-schemas/m.signing_key_update.yaml", edus.get(1));
    }

    @Test
    void streamIdsOfOneUserNeverRepeat() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "A", null);
        node.registerDevice(node.alice, "B", null);
        node.e2ee.deviceLists().recordChange(node.alice).join();
        node.e2ee.deviceLists().recordChange(node.alice).join();
        List<Long> ids = queuedEdus(REMOTE).stream().map(e -> e.get("content").get("stream_id").asLong()).toList();
        assertEquals(4, ids.size());
        assertEquals(4, Set.copyOf(ids).size());
    }

    @Test
    void eachUpdateNamesTheOneSentBeforeItAsItsPrevIdAcrossChanges() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "A", null);
        node.registerDevice(node.alice, "B", null);
        node.e2ee.deviceLists().recordChange(node.alice).join();
        node.store.write(tx -> {
            tx.devices().delete(node.alice, "B");
            return node.e2ee.deviceLists().devicesDeleted(tx, node.alice, List.of("B"));
        }).join();
        List<JsonNode> updates = queuedEdus(REMOTE).stream().map(e -> e.get("content")).toList();
        assertEquals(3, updates.size(), "A and B, then B deleted");
        assertEquals(0, updates.get(0).get("prev_id").size(), "the user's first update follows nothing");
        for (int i = 1; i < updates.size(); i++) {
            long previous = updates.get(i - 1).get("stream_id").asLong();
            assertTrue(updates.get(i).get("stream_id").asLong() > previous);
            assertEquals(List.of(previous), ids(updates.get(i).get("prev_id")));
        }
        long last = updates.get(2).get("stream_id").asLong();
        assertEquals(last, (long) node.store.read(tx -> tx.deviceListStreamIds().latest(node.alice)));
    }

    @Test
    void aChangeWithoutAnyServerToTellUsesNoStreamId() {
        node.registerDevice(node.alice, "A", null);
        node.e2ee.deviceLists().recordChange(node.alice).join();
        assertEquals(0L, (long) node.store.read(tx -> tx.deviceListStreamIds().latest(node.alice)));
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    @Test
    void aDeletedDeviceIsAnnouncedAsDeleted() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "KEPT", null);
        node.registerDevice(node.alice, "GONE", null);
        node.store.write(tx -> {
            tx.devices().delete(node.alice, "GONE");
            return node.e2ee.deviceLists().devicesDeleted(tx, node.alice, List.of("GONE"));
        }).join();
        List<JsonNode> edus = queuedEdus(REMOTE);
        assertEquals(1, edus.size(), "the device that stays did not change: " + edus);
        JsonNode gone = edus.get(0).get("content");
        assertEquals("GONE", gone.get("device_id").asText());
        assertTrue(gone.get("deleted").asBoolean());
        ServerServerSchemas.load().assertValid("definitions/event-schemas/m.device_list_update.yaml", edus.get(0));
    }

    @Test
    void aChangeOfOneDevicesKeysAnnouncesThatDeviceOnly() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "LAPTOP", null);
        node.registerDevice(node.alice, "PHONE", null);
        node.store.write(tx -> node.e2ee.deviceLists().recordChange(tx, node.alice, DeviceListChange.device("PHONE")))
                .join();
        List<JsonNode> edus = queuedEdus(REMOTE);
        assertEquals(1, edus.size(), edus.toString());
        assertEquals("PHONE", edus.get(0).path("content").path("device_id").asText());
    }

    @Test
    void aChangeOfTheCrossSigningKeysAloneSendsOnlyTheSigningKeyUpdate() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "PHONE", null);
        String master = "{\"keys\":{\"ed25519:MPUB\":\"MPUB\"},\"usage\":[\"master\"],\"user_id\":\"" + node.alice + "\"}";
        node.store.write(tx -> {
            tx.crossSigningKeys().put(node.alice, CrossSigningKeys.Usage.MASTER, master);
            return node.e2ee.deviceLists().recordChange(tx, node.alice, DeviceListChange.of(Set.of(), true));
        }).join();
        assertEquals(List.of("m.signing_key_update"),
                queuedEdus(REMOTE).stream().map(e -> e.get("edu_type").asText()).toList());
    }

    @Test
    void aChangeThatTouchesNothingOtherServersSeeQueuesNothing() {
        node.roomSharedWith(BOB);
        node.registerDevice(node.alice, "PHONE", null);
        node.store.write(tx -> node.e2ee.deviceLists().recordChange(tx, node.alice, DeviceListChange.of(Set.of(), false)))
                .join();
        assertTrue(queuedEdus(REMOTE).isEmpty());
        assertEquals(0L, (long) node.store.read(tx -> tx.deviceListStreamIds().latest(node.alice)));
    }

    @Test
    void usersWithoutSharedRoomsAndRemoteUsersQueueNothing() {
        node.registerDevice(node.alice, "PHONE", null);
        node.e2ee.deviceLists().recordChange(node.alice).join();
        node.roomSharedWith(BOB);
        node.e2ee.deviceLists().recordChange(BOB).join();
        assertTrue(node.store.read(tx -> tx.federationQueue().destinationsWithPending()).isEmpty());
    }
}
