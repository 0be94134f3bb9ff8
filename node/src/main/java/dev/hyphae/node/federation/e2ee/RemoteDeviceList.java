package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What this node knows of a remote user's devices: every device's keys, the master and
 * self-signing keys, and the stream IDs of the updates the list reflects ({@code streamIds} empty
 * when it came from a key query, which carries none).
 *
 * @param devices device ID to signed device keys
 */
record RemoteDeviceList(String userId, ObjectNode devices, Optional<ObjectNode> masterKey,
        Optional<ObjectNode> selfSigningKey, List<Long> streamIds) {
    /** How many recent stream IDs are remembered to recognise the {@code prev_id} of the next update. */
    static final int REMEMBERED_STREAM_IDS = 32;

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

    /** Whether an update relative to {@code prevIds} follows from this list: all of them are known. */
    boolean follows(List<Long> prevIds) {
        return !prevIds.isEmpty() && streamIds.containsAll(prevIds);
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
        List<Long> ids = new java.util.ArrayList<>(streamIds);
        ids.add(streamId);
        while (ids.size() > REMEMBERED_STREAM_IDS) {
            ids.remove(0);
        }
        return ids;
    }
}
