package dev.hyphae.node.federation.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.QueuedItem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * A local user's {@code m.device_list_update} series as another node receives it: that node
 * resynchronises once through {@code GET /user/devices}, then follows every change by the
 * {@code prev_id} chain alone.
 */
class DeviceListSeriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private FederatedE2eeFixture sender;
    private FederatedE2eeFixture receiver;
    private final List<FederationRequest> requests = new CopyOnWriteArrayList<>();
    private RemoteDeviceLists lists;
    private Map<String, EduReceiver> receivers;
    private long delivered;

    @BeforeEach
    void open() {
        sender = new FederatedE2eeFixture(directory.resolve("sender"), (byte) 7);
        receiver = new FederatedE2eeFixture(directory.resolve("receiver"), (byte) 8);
        UserKeysEndpoints endpoints = new UserKeysEndpoints(sender.e2ee, sender.store, sender.server);
        FederationClient client = request -> {
            requests.add(request);
            String userId = URLDecoder.decode(request.uri().substring(request.uri().lastIndexOf('/') + 1),
                    StandardCharsets.UTF_8);
            var response = endpoints.devices(receiver.server, new MatrixRequest(Method.GET, request.uri(),
                    Map.of("userId", userId), Map.of(), Map.of(), new byte[0], "peer", null));
            try {
                return CompletableFuture.completedFuture(JSON.readTree(response.body()));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        };
        lists = new RemoteDeviceLists(client, receiver.store, receiver.server, Duration.ofSeconds(10));
        receivers = E2eeEduReceivers.of(receiver.e2ee, receiver.server, user -> { }, lists);
        sender.roomSharedWith("@bob:" + receiver.server);
        receiver.roomSharedWith(sender.alice);
    }

    @AfterEach
    void close() {
        sender.close();
        receiver.close();
    }

    /** Hands the receiver every EDU queued for it since the last delivery, in order. */
    private void deliver() {
        for (QueuedItem item : sender.store.read(tx -> tx.federationQueue().pending(receiver.server, 1000))) {
            if (item.id() <= delivered) {
                continue;
            }
            delivered = item.id();
            JsonNode edu = CanonicalJson.parseObject(item.json());
            receivers.get(edu.get("edu_type").asText()).receive(sender.server, edu.get("content"));
        }
    }

    private void addDevice(String deviceId) {
        sender.registerDevice(sender.alice, deviceId, null);
        sender.store.write(tx -> {
            tx.deviceKeys().put(sender.alice, deviceId, "{\"algorithms\":[],\"device_id\":\"" + deviceId
                    + "\",\"keys\":{\"ed25519:" + deviceId + "\":\"k\"},\"user_id\":\"" + sender.alice + "\"}");
            return sender.e2ee.deviceLists().recordChange(tx, sender.alice);
        }).join();
    }

    private List<String> cachedDevices() {
        List<String> devices = new ArrayList<>();
        lists.cached(sender.alice).orElseThrow().devices().fieldNames().forEachRemaining(devices::add);
        return devices.stream().sorted().toList();
    }

    @Test
    void theReceiverResynchronisesOnceAndThenFollowsEveryChangeByPrevId() {
        addDevice("PHONE");
        deliver();
        assertEquals(List.of("PHONE"), cachedDevices());
        assertEquals(1, requests.size(), "the first update of an unknown user resynchronises");

        addDevice("LAPTOP");
        deliver();
        sender.store.write(tx -> {
            tx.devices().delete(sender.alice, "PHONE");
            return sender.e2ee.deviceLists().devicesDeleted(tx, sender.alice, List.of("PHONE"));
        }).join();
        deliver();
        addDevice("TABLET");
        deliver();

        assertEquals(List.of("LAPTOP", "TABLET"), cachedDevices());
        assertEquals(1, requests.size(), "later updates followed the prev_id chain");
    }
}
