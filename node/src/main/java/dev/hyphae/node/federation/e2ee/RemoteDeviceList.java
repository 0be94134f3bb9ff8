package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What this node knows of a remote user's devices: every device's keys, the master and
 * self-signing keys, and the stream IDs the list reflects ({@code streamIds} empty when it came
 * from a key query, which carries none). The first stream ID is that of the
 * {@code GET /user/devices} answer the list started from, or the oldest update still remembered;
 * the list reflects every update up to it, and those named after it.
 *
 * @param devices device ID to signed device keys
 */
record RemoteDeviceList(String userId, ObjectNode devices, Optional<ObjectNode> masterKey,
        Optional<ObjectNode> selfSigningKey, List<Long> streamIds) {
    /** How many recent stream IDs are remembered to recognise the {@code prev_id} of the next update. */
    static final int REMEMBERED_STREAM_IDS = 32;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    RemoteDeviceList {
        Objects.requireNonNull(userId, "userId");
        devices = Objects.requireNonNull(devices, "devices").deepCopy();
        masterKey = Objects.requireNonNull(masterKey, "masterKey").map(ObjectNode::deepCopy);
        selfSigningKey = Objects.requireNonNull(selfSigningKey, "selfSigningKey").map(ObjectNode::deepCopy);
        streamIds = List.copyOf(streamIds);
    }

    @Override
    public ObjectNode devices() {
        return devices.deepCopy();
    }

    /**
     * Whether the update {@code streamId} is already reflected: it is one of the remembered stream
     * IDs or older than all of them.
     */
    boolean reflects(long streamId) {
        return !streamIds.isEmpty() && (streamId <= streamIds.get(0) || streamIds.contains(streamId));
    }

    /**
     * Whether an update relative to {@code prevIds} follows from this list: the list has a stream
     * position and reflects every one of them. An empty {@code prev_id} (the first update the
     * sender ever sent for the user) follows from any list with a stream position.
     */
    boolean follows(List<Long> prevIds) {
        return !streamIds.isEmpty() && prevIds.stream().allMatch(this::reflects);
    }

    /** This list with one device's keys replaced, or removed when {@code keys} is empty. */
    RemoteDeviceList withDevice(String deviceId, Optional<ObjectNode> keys, long streamId) {
        ObjectNode changed = devices.deepCopy();
        if (keys.isPresent()) {
            changed.set(deviceId, keys.get());
        } else {
            changed.remove(deviceId);
        }
        return new RemoteDeviceList(userId, changed, masterKey, selfSigningKey, remembering(streamId));
    }

    /** This list with new cross-signing keys; an absent key keeps the one known. */
    RemoteDeviceList withCrossSigningKeys(Optional<ObjectNode> master, Optional<ObjectNode> selfSigning) {
        return new RemoteDeviceList(userId, devices, master.or(() -> masterKey), selfSigning.or(() -> selfSigningKey),
                streamIds);
    }

    private List<Long> remembering(long streamId) {
        List<Long> ids = new ArrayList<>(streamIds);
        ids.add(streamId);
        Collections.sort(ids);
        // Forgetting the oldest keeps "older than the first is reflected" true: it was applied.
        while (ids.size() > REMEMBERED_STREAM_IDS) {
            ids.remove(0);
        }
        return ids;
    }

    /** The list as the JSON document the store keeps. */
    String toJson() {
        ObjectNode json = JSON.objectNode();
        json.put("user_id", userId);
        json.set("devices", devices);
        masterKey.ifPresent(key -> json.set("master_key", key));
        selfSigningKey.ifPresent(key -> json.set("self_signing_key", key));
        var ids = json.putArray("stream_ids");
        streamIds.forEach(ids::add);
        return json.toString();
    }

    /**
     * A list the store kept, checked as an answer from its server would be.
     *
     * @throws IllegalArgumentException when the document is not a device list of {@code userId}
     */
    static RemoteDeviceList fromJson(String userId, JsonNode json) {
        if (!(json instanceof ObjectNode object) || !userId.equals(object.path("user_id").asText())
                || !object.path("devices").isObject() || !object.path("stream_ids").isArray()) {
            throw new IllegalArgumentException("not a cached device list of " + userId);
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode id : object.get("stream_ids")) {
            if (!id.canConvertToLong()) {
                throw new IllegalArgumentException("a stream ID of the cached device list of " + userId
                        + " is not a number");
            }
            ids.add(id.asLong());
        }
        Collections.sort(ids);
        return new RemoteDeviceList(userId, RemoteDeviceLists.checkedDevices(userId, object.get("devices")),
                RemoteDeviceLists.crossSigningKey(userId, object.get("master_key")),
                RemoteDeviceLists.crossSigningKey(userId, object.get("self_signing_key")), ids);
    }
}
