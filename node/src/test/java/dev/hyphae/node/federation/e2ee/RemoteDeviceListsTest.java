package dev.hyphae.node.federation.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.e2ee.RemoteDeviceLists.UpdateOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code prev_id} rules of cached remote device lists: updates in order are applied, a gap or
 * an unknown user resynchronises, a repeated update changes nothing, and the cache outlives a
 * restart.
 */
class RemoteDeviceListsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOTE = "remote.example";
    private static final String BOB = "@bob:" + REMOTE;
    private static final String USER_DEVICES = "/_matrix/federation/v1/user/devices/";

    @TempDir
    Path directory;

    private FederatedE2eeFixture node;
    private final List<FederationRequest> requests = new CopyOnWriteArrayList<>();
    /** Bob's devices as his server would answer user/devices, with this stream ID. */
    private volatile long serverStreamId = 5;
    private volatile List<String> serverDevices = List.of("BOBPHONE");
    private volatile boolean serverReachable = true;
    private FederationClient client;
    private RemoteDeviceLists lists;
    private Map<String, EduReceiver> receivers;

    @BeforeEach
    void open() {
        node = new FederatedE2eeFixture(directory, (byte) 6);
        client = request -> {
            requests.add(request);
            if (!serverReachable) {
                return CompletableFuture.failedFuture(FederationException.unreachable(REMOTE, "no route", null));
            }
            if (!request.uri().startsWith(USER_DEVICES)) {
                throw new AssertionError("unexpected request " + request.uri());
            }
            StringBuilder devices = new StringBuilder();
            for (String device : serverDevices) {
                devices.append(devices.isEmpty() ? "" : ",").append("{\"device_id\":\"").append(device)
                        .append("\",\"keys\":").append(keys(device)).append('}');
            }
            return CompletableFuture.completedFuture(json("{\"user_id\":\"" + BOB + "\",\"stream_id\":"
                    + serverStreamId + ",\"devices\":[" + devices + "]}"));
        };
        lists = new RemoteDeviceLists(client, node.store, node.server, Duration.ofSeconds(10));
        receivers = E2eeEduReceivers.of(node.e2ee, node.server, user -> { }, lists);
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String keys(String deviceId) {
        return "{\"algorithms\":[],\"device_id\":\"" + deviceId + "\",\"keys\":{\"ed25519:" + deviceId + "\":\"k"
                + deviceId + "\"},\"user_id\":\"" + BOB + "\"}";
    }

    private static ObjectNode added(String deviceId, long streamId, long... prevIds) {
        ObjectNode content = update(deviceId, streamId, prevIds);
        content.put("deleted", false);
        content.set("keys", json(keys(deviceId)));
        return content;
    }

    private static ObjectNode deleted(String deviceId, long streamId, long... prevIds) {
        return update(deviceId, streamId, prevIds).put("deleted", true);
    }

    private static ObjectNode update(String deviceId, long streamId, long... prevIds) {
        ObjectNode content = JSON.createObjectNode();
        content.put("user_id", BOB);
        content.put("device_id", deviceId);
        content.put("stream_id", streamId);
        var prev = content.putArray("prev_id");
        for (long id : prevIds) {
            prev.add(id);
        }
        return content;
    }

    private long resyncs() {
        return requests.stream().filter(request -> request.uri().startsWith(USER_DEVICES)).count();
    }

    private List<String> cachedDevices(RemoteDeviceLists from) {
        List<String> devices = new ArrayList<>();
        from.cached(BOB).orElseThrow().devices().fieldNames().forEachRemaining(devices::add);
        return devices.stream().sorted().toList();
    }

    private long deviceListPosition() {
        return node.e2ee.deviceLists().currentPosition();
    }

    @Test
    void updatesInOrderAreAppliedWithoutAskingTheServer() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        assertEquals(UpdateOutcome.APPLIED, lists.deviceListUpdate(added("BOBLAPTOP", 6, 5)));
        assertEquals(UpdateOutcome.APPLIED, lists.deviceListUpdate(added("BOBTABLET", 7, 6)));
        assertEquals(List.of("BOBLAPTOP", "BOBPHONE", "BOBTABLET"), cachedDevices(lists));
        assertEquals(1, resyncs(), "only the first resync asked the server");
    }

    @Test
    void theFirstUpdateASenderSendsWithAnEmptyPrevIdFollowsAListFromUserDevices() {
        node.roomSharedWith(BOB);
        serverStreamId = 0;
        lists.resync(BOB).join();
        assertEquals(UpdateOutcome.APPLIED, lists.deviceListUpdate(added("BOBLAPTOP", 3000)));
        assertEquals(1, resyncs());
    }

    @Test
    void anUpdateAfterAGapResynchronisesTheList() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        serverStreamId = 8;
        serverDevices = List.of("BOBPHONE", "BOBLAPTOP", "BOBWATCH");
        assertEquals(UpdateOutcome.RESYNCHRONISING, lists.deviceListUpdate(added("BOBWATCH", 8, 7)));
        assertEquals(2, resyncs());
        assertEquals(List.of("BOBLAPTOP", "BOBPHONE", "BOBWATCH"), cachedDevices(lists));
        assertEquals(List.of(8L), lists.cached(BOB).orElseThrow().streamIds());
    }

    @Test
    void anUpdateAboutAUserWithoutACachedListResynchronises() {
        node.roomSharedWith(BOB);
        assertEquals(UpdateOutcome.RESYNCHRONISING, lists.deviceListUpdate(added("BOBLAPTOP", 6, 5)));
        assertEquals(1, resyncs());
        assertEquals(List.of("BOBPHONE"), cachedDevices(lists));
    }

    @Test
    void aListFromAKeyQueryHasNoStreamPositionSoAnyUpdateResynchronises() {
        node.roomSharedWith(BOB);
        assertTrue(lists.storeIfCurrent(lists.generation(BOB), new RemoteDeviceList(BOB,
                json("{\"BOBPHONE\":" + keys("BOBPHONE") + "}"), java.util.Optional.empty(),
                java.util.Optional.empty(), List.of())));
        assertEquals(UpdateOutcome.RESYNCHRONISING, lists.deviceListUpdate(added("BOBLAPTOP", 6)));
        assertEquals(1, resyncs());
    }

    @Test
    void aRepeatedOrOlderUpdateIsIgnoredAndNotReportedToLocalClients() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        receivers.get("m.device_list_update").receive(REMOTE, added("BOBLAPTOP", 6, 5));
        long position = deviceListPosition();
        assertTrue(position > 0, "the applied update is a device list change for local clients");

        assertEquals(UpdateOutcome.ALREADY_REFLECTED, lists.deviceListUpdate(deleted("BOBLAPTOP", 6, 5)));
        assertEquals(UpdateOutcome.ALREADY_REFLECTED, lists.deviceListUpdate(deleted("BOBPHONE", 4, 3)));
        receivers.get("m.device_list_update").receive(REMOTE, added("BOBLAPTOP", 6, 5));
        assertEquals(List.of("BOBLAPTOP", "BOBPHONE"), cachedDevices(lists));
        assertEquals(position, deviceListPosition());
        assertEquals(1, resyncs());
    }

    @Test
    void aDeletionRemovesTheDevice() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        assertEquals(UpdateOutcome.APPLIED, lists.deviceListUpdate(added("BOBLAPTOP", 6, 5)));
        assertEquals(UpdateOutcome.APPLIED, lists.deviceListUpdate(deleted("BOBPHONE", 7, 6)));
        assertEquals(List.of("BOBLAPTOP"), cachedDevices(lists));
        assertEquals(1, resyncs());
    }

    @Test
    void anUpdateNamingSeveralPrevIdsIsAppliedWhenTheListReflectsAllOfThem() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        lists.deviceListUpdate(added("BOBLAPTOP", 6, 5));
        lists.deviceListUpdate(added("BOBTABLET", 7, 5));
        assertEquals(UpdateOutcome.APPLIED, lists.deviceListUpdate(deleted("BOBTABLET", 8, 6, 7)));
        assertEquals(UpdateOutcome.RESYNCHRONISING, lists.deviceListUpdate(deleted("BOBLAPTOP", 10, 8, 9)));
        assertEquals(2, resyncs());
    }

    @Test
    void theCachedListOutlivesARestart() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        lists.deviceListUpdate(added("BOBLAPTOP", 6, 5));
        RemoteDeviceLists restarted = new RemoteDeviceLists(client, node.store, node.server, Duration.ofSeconds(10));
        assertStoredWithStreamIds(2);
        assertEquals(List.of(5L, 6L), restarted.cached(BOB).orElseThrow().streamIds());
        assertEquals(UpdateOutcome.APPLIED, restarted.deviceListUpdate(deleted("BOBPHONE", 7, 6)));
        ObjectNode answer = new FederatedRemoteKeys(client, restarted, Duration.ofSeconds(10))
                .queryKeys(REMOTE, json("{\"device_keys\":{\"" + BOB + "\":[]}}")).join();
        assertEquals(List.of("BOBLAPTOP"), fieldNames(answer.path("device_keys").path(BOB)));
        assertEquals(1, resyncs(), "the restarted node asked nothing of bob's server");
    }

    @Test
    void aListDroppedForAGapStaysDroppedAfterARestart() {
        node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        serverReachable = false;
        assertEquals(UpdateOutcome.RESYNCHRONISING, lists.deviceListUpdate(added("BOBWATCH", 9, 8)));
        assertFalse(lists.cached(BOB).isPresent());
        // The write of the dropped entry is queued after the cached one; a later write lands after both.
        node.store.write(tx -> null).join();
        RemoteDeviceLists restarted = new RemoteDeviceLists(client, node.store, node.server, Duration.ofSeconds(10));
        assertFalse(restarted.cached(BOB).isPresent(), "a stale list must not come back");
    }

    @Test
    void theListOfAUserWhoNoLongerSharesARoomIsDropped() {
        String room = node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        node.store.write(tx -> {
            String eventId = tx.memberships().get(room, BOB).orElseThrow().eventId();
            tx.memberships().set(new dev.hyphae.store.Membership(room, BOB, "leave", eventId));
            return null;
        }).join();
        assertFalse(lists.current(BOB).isPresent());
        node.store.write(tx -> null).join();
        assertFalse(node.store.read(tx -> tx.remoteDeviceLists().get(BOB)).isPresent());
    }

    @Test
    void aLocalUsersMembershipChangeDropsTheListsOfRemoteMembersWhoShareNoRoomAnyMore() {
        String room = node.roomSharedWith(BOB);
        lists.resync(BOB).join();
        RemoteDeviceListPruning pruning = new RemoteDeviceListPruning(node.store, lists, node.server, Runnable::run);
        String aliceMember = node.store.read(tx -> tx.memberships().get(room, node.alice).orElseThrow().eventId());

        pruning.onNewEvent(room, aliceMember, 0);
        assertTrue(lists.cached(BOB).isPresent(), "bob still shares the room");
        String messageId = node.store.read(tx -> tx.memberships().get(room, BOB).orElseThrow().eventId());
        node.store.write(tx -> {
            tx.memberships().set(new dev.hyphae.store.Membership(room, BOB, "leave", messageId));
            return null;
        }).join();
        pruning.onNewEvent(room, messageId, 0);
        assertTrue(lists.cached(BOB).isPresent(), "a message event changes no membership");
        pruning.onNewEvent(room, aliceMember, 0);
        assertFalse(lists.cached(BOB).isPresent());
    }

    /** Once the queued writes are done, the store holds the list with {@code streamIds} stream IDs. */
    private void assertStoredWithStreamIds(int streamIds) {
        node.store.write(tx -> null).join();
        String stored = node.store.read(tx -> tx.remoteDeviceLists().get(BOB)).orElseThrow();
        assertEquals(streamIds, json(stored).path("stream_ids").size());
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }
}
