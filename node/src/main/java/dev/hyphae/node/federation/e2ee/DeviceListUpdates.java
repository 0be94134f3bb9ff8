package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.DeviceListChange;
import dev.hyphae.node.e2ee.DeviceListPublisher;
import dev.hyphae.node.federation.outbound.JoinedServers;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.store.CrossSigningKeys.Usage;
import dev.hyphae.store.Device;
import dev.hyphae.store.KeySignature;
import dev.hyphae.store.QueuedItem;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.WriteTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues, with each change of a local user's device list, an {@code m.device_list_update} EDU for
 * each device the change touched and an {@code m.signing_key_update} EDU when it touched the
 * cross-signing keys, for every other server that shares a room with the user.
 *
 * <p>A device is announced with its present keys, a deleted device with {@code deleted: true}. A
 * change that does not say what it touched ({@link DeviceListChange#everything()}) announces every
 * current device and the cross-signing keys. The
 * EDUs of a user form one series: each has a {@code stream_id} above all before it (at least
 * {@code position * 1000 + device index}) and names the one sent before it as its
 * {@code prev_id} (empty for the user's first), so a receiver that holds the list as of that
 * update applies the update directly. The latest stream ID is kept in the store
 * ({@code deviceListStreamIds}) for the next change and for {@code GET /user/devices}. Every
 * destination gets the same series; one that did not share a room with the user for part of it
 * sees a {@code prev_id} it does not know and resynchronises, as the spec asks.
 */
public final class DeviceListUpdates implements DeviceListPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceListUpdates.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Devices announced per change; the stream IDs of one change leave room for this many. */
    static final int MAX_DEVICES = 1000;

    private final String localServer;
    private final Clock clock;
    private final Consumer<String> queued;

    /**
     * @param queued told after the commit of each destination that got items, for example
     *               {@code FederationSender#queuedNotice()}
     */
    public DeviceListUpdates(String localServer, Clock clock, Consumer<String> queued) {
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queued = Objects.requireNonNull(queued, "queued");
    }

    @Override
    public void changed(WriteTransaction tx, String userId, long position) {
        changed(tx, userId, position, DeviceListChange.everything());
    }

    @Override
    public void changed(WriteTransaction tx, String userId, long position, DeviceListChange change) {
        if (!JoinedServers.serverOf(userId).map(localServer::equals).orElse(false)) {
            return; // a remote user's change, recorded for our own clients
        }
        Set<String> destinations = JoinedServers.sharingRoomWith(tx, userId);
        destinations.remove(localServer);
        if (destinations.isEmpty()) {
            return;
        }
        StreamIds streamIds = new StreamIds(tx.deviceListStreamIds().latest(userId), position);
        List<String> edus = edus(tx, userId, streamIds, change);
        if (edus.isEmpty()) {
            return;
        }
        streamIds.save(tx, userId);
        long now = clock.millis();
        for (String destination : destinations) {
            for (String edu : edus) {
                tx.federationQueue().enqueue(destination, QueuedItem.Kind.EDU, edu, now);
            }
        }
        if (!edus.isEmpty()) {
            tx.afterCommit(() -> destinations.forEach(queued));
        }
    }

    @Override
    public void devicesDeleted(WriteTransaction tx, String userId, List<String> deviceIds, long position) {
        if (!JoinedServers.serverOf(userId).map(localServer::equals).orElse(false)) {
            return;
        }
        Set<String> destinations = JoinedServers.sharingRoomWith(tx, userId);
        destinations.remove(localServer);
        if (destinations.isEmpty() || deviceIds.isEmpty()) {
            return;
        }
        StreamIds streamIds = new StreamIds(tx.deviceListStreamIds().latest(userId), position);
        List<String> edus = new ArrayList<>();
        for (int i = 0; i < deviceIds.size() && i < MAX_DEVICES; i++) {
            ObjectNode content = JSON.objectNode();
            content.put("user_id", userId);
            content.put("device_id", deviceIds.get(i));
            streamIds.next(content, i);
            content.put("deleted", true);
            edus.add(edu("m.device_list_update", content));
        }
        streamIds.save(tx, userId);
        long now = clock.millis();
        for (String destination : destinations) {
            for (String edu : edus) {
                tx.federationQueue().enqueue(destination, QueuedItem.Kind.EDU, edu, now);
            }
        }
        tx.afterCommit(() -> destinations.forEach(queued));
    }

    private List<String> edus(ReadTransaction tx, String userId, StreamIds streamIds, DeviceListChange change) {
        List<String> edus = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        for (Device device : tx.devices().forUser(userId)) {
            if (change.includesDevice(device.deviceId())) {
                devices.add(device);
            }
        }
        Map<String, String> keys = devices.isEmpty() ? Map.of() : tx.deviceKeys().forUser(userId);
        if (devices.size() > MAX_DEVICES) {
            LOG.warn("{} has {} devices; announcing the first {}", userId, devices.size(), MAX_DEVICES);
        }
        for (int i = 0; i < Math.min(devices.size(), MAX_DEVICES); i++) {
            Device device = devices.get(i);
            ObjectNode content = JSON.objectNode();
            content.put("user_id", userId);
            content.put("device_id", device.deviceId());
            if (device.displayName() != null) {
                content.put("device_display_name", device.displayName());
            }
            streamIds.next(content, i);
            content.put("deleted", false);
            String stored = keys.get(device.deviceId());
            if (stored != null) {
                content.set("keys", withOwnSignatures(tx, parse(stored), userId, device.deviceId()));
            }
            edus.add(edu("m.device_list_update", content));
        }
        if (!change.crossSigningKeys()) {
            return edus;
        }
        Optional<String> master = tx.crossSigningKeys().get(userId, Usage.MASTER);
        Optional<String> selfSigning = tx.crossSigningKeys().get(userId, Usage.SELF_SIGNING);
        if (master.isPresent() || selfSigning.isPresent()) {
            ObjectNode content = JSON.objectNode();
            content.put("user_id", userId);
            master.ifPresent(key -> content.set("master_key", withOwnSignatures(tx, parse(key), userId, keyId(key))));
            selfSigning.ifPresent(key -> content.set("self_signing_key",
                    withOwnSignatures(tx, parse(key), userId, keyId(key))));
            edus.add(edu("m.signing_key_update", content));
        }
        return edus;
    }

    /** The stream IDs of one change's updates, each naming the one before as its {@code prev_id}. */
    private static final class StreamIds {
        private final long position;
        private long previous;
        private boolean advanced;

        StreamIds(long latest, long position) {
            this.previous = latest;
            this.position = position;
        }

        /** Puts the next {@code stream_id} and its {@code prev_id} into an update's content. */
        void next(ObjectNode content, int deviceIndex) {
            long streamId = Math.max(previous + 1, position * MAX_DEVICES + deviceIndex);
            content.put("stream_id", streamId);
            var prevIds = content.putArray("prev_id");
            if (previous > 0) {
                prevIds.add(previous);
            }
            previous = streamId;
            advanced = true;
        }

        void save(WriteTransaction tx, String userId) {
            if (advanced) {
                tx.deviceListStreamIds().advance(userId, previous);
            }
        }
    }

    /** The key with the signatures its owner uploaded separately (others' signatures stay private). */
    private static ObjectNode withOwnSignatures(ReadTransaction tx, ObjectNode key, String userId, String keyId) {
        if (keyId == null) {
            return key;
        }
        for (KeySignature signature : tx.keySignatures().onKey(userId, keyId)) {
            if (signature.signerUserId().equals(userId)) {
                JsonSigning.addSignature(key, userId, signature.signerKeyId(), signature.signature());
            }
        }
        return key;
    }

    /** The public key part of a cross-signing key's only {@code keys} entry, as signatures name it. */
    private static String keyId(String keyJson) {
        var names = parse(keyJson).path("keys").fieldNames();
        if (!names.hasNext()) {
            return null;
        }
        String name = names.next();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    private static ObjectNode parse(String json) {
        return CanonicalJson.parseObjectLenient(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String edu(String type, ObjectNode content) {
        ObjectNode edu = JSON.objectNode();
        edu.put("edu_type", type);
        edu.set("content", content);
        return CanonicalJson.encodeToString(edu);
    }
}
