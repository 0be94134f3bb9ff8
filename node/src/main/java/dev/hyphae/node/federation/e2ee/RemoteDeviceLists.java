package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.outbound.JoinedServers;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.RemoteDeviceListCache;
import dev.hyphae.store.Store;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of remote users' device lists ("Device Management" of the server-server API), kept in
 * the store so that a restart does not forget it. A list is kept only for users who share a room
 * with a local user, since only they send this server {@code m.device_list_update} EDUs. An
 * update whose {@code prev_id}s the list reflects is applied to it; an update the list already
 * reflects is ignored; any other update (a gap, or a user without a list) drops the list and
 * resynchronises it with {@code GET /_matrix/federation/v1/user/devices/{userId}}.
 *
 * <p>Every change of a user's entry bumps the user's generation; an answer is cached only if the
 * generation it was asked under is still current, so an answer that raced an update never
 * replaces the news. Entries are read from the store on first use and written back in the order
 * they change (the store has a single, first-come writer).
 */
public final class RemoteDeviceLists {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDeviceLists.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What became of an {@code m.device_list_update}. */
    public enum UpdateOutcome {
        /** Applied to the cached list. */
        APPLIED,
        /** The cached list already reflects it: nothing changed. */
        ALREADY_REFLECTED,
        /** It did not follow from a cached list: the list was dropped and is asked for again. */
        RESYNCHRONISING
    }

    private final FederationClient client;
    private final Store store;
    private final String localServer;
    private final Duration timeout;
    /** Entries read from or written to the store; an empty one means the store holds none. */
    private final Map<String, Optional<RemoteDeviceList>> lists = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();
    private final Set<String> resyncing = new HashSet<>();
    private final Set<String> resyncAgain = new HashSet<>();

    /**
     * @param timeout how long a resynchronisation may take before it is given up
     */
    public RemoteDeviceLists(FederationClient client, Store store, String localServer, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.store = Objects.requireNonNull(store, "store");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The cached device list of a remote user, if one is held. */
    public synchronized Optional<RemoteDeviceList> cached(String userId) {
        return held(userId);
    }

    /**
     * The cached list of a remote user who still shares a room with a local user. A list of a user
     * who shares none is dropped: no updates come for such a user, so it may be stale by now.
     */
    Optional<RemoteDeviceList> current(String userId) {
        Optional<RemoteDeviceList> cached = cached(userId);
        if (cached.isPresent() && !sharesRoomWithLocalUser(userId)) {
            invalidate(userId);
            return Optional.empty();
        }
        return cached;
    }

    /** The current generation of the user's entry, to be handed to {@link #storeIfCurrent}. */
    synchronized long generation(String userId) {
        return generations.getOrDefault(userId, 0L);
    }

    /**
     * Caches {@code list} if nothing changed the user's entry since {@code generation} was read and
     * the user shares a room with a local user. Returns whether it was cached.
     */
    boolean storeIfCurrent(long generation, RemoteDeviceList list) {
        if (!sharesRoomWithLocalUser(list.userId())) {
            return false;
        }
        synchronized (this) {
            if (generation(list.userId()) != generation) {
                return false;
            }
            hold(list.userId(), Optional.of(list));
            return true;
        }
    }

    /** Forgets the user's list, e.g. when the user no longer shares a room with this server. */
    public synchronized void invalidate(String userId) {
        generations.merge(userId, 1L, Long::sum);
        if (held(userId).isPresent()) {
            hold(userId, Optional.empty());
        }
    }

    /**
     * Takes the content of an {@code m.device_list_update} from the user's own server: applies it
     * to the cached list when it follows from it, ignores it when the list already reflects it,
     * else drops the list and resynchronises it.
     */
    UpdateOutcome deviceListUpdate(ObjectNode content) {
        String userId = content.path("user_id").asText();
        String deviceId = content.path("device_id").asText("");
        long streamId = content.path("stream_id").canConvertToLong() ? content.get("stream_id").asLong() : -1;
        List<Long> prevIds = new ArrayList<>();
        boolean prevIdsValid = true;
        for (JsonNode id : content.path("prev_id")) {
            prevIdsValid &= id.canConvertToLong();
            prevIds.add(id.asLong());
        }
        boolean deleted = content.path("deleted").asBoolean(false);
        Optional<ObjectNode> keys = deleted ? Optional.empty() : deviceKeys(userId, deviceId, content.get("keys"));
        synchronized (this) {
            Optional<RemoteDeviceList> list = held(userId);
            if (list.isPresent() && streamId >= 0 && list.get().reflects(streamId)) {
                return UpdateOutcome.ALREADY_REFLECTED;
            }
            if (list.isPresent() && !deviceId.isEmpty() && streamId >= 0 && prevIdsValid
                    && list.get().follows(prevIds) && (deleted || keys.isPresent())) {
                generations.merge(userId, 1L, Long::sum);
                hold(userId, Optional.of(list.get().withDevice(deviceId, keys, streamId)));
                return UpdateOutcome.APPLIED;
            }
        }
        invalidate(userId);
        if (sharesRoomWithLocalUser(userId)) {
            resync(userId);
        }
        return UpdateOutcome.RESYNCHRONISING;
    }

    /** Takes the content of an {@code m.signing_key_update}: new master and self-signing keys. */
    void signingKeyUpdate(ObjectNode content) {
        String userId = content.path("user_id").asText();
        Optional<ObjectNode> master = crossSigningKey(userId, content.get("master_key"));
        Optional<ObjectNode> selfSigning = crossSigningKey(userId, content.get("self_signing_key"));
        synchronized (this) {
            Optional<RemoteDeviceList> list = held(userId);
            if (list.isPresent()) {
                generations.merge(userId, 1L, Long::sum);
                hold(userId, Optional.of(list.get().withCrossSigningKeys(master, selfSigning)));
            }
        }
    }

    /**
     * Fetches the whole list of the user from the user's server and caches it. While one is under
     * way for the user, another request only marks that one more is needed after it.
     */
    CompletableFuture<Void> resync(String userId) {
        String server = JoinedServers.serverOf(userId).orElse(null);
        if (server == null || server.equals(localServer)) {
            return CompletableFuture.completedFuture(null);
        }
        long generation;
        synchronized (this) {
            if (!resyncing.add(userId)) {
                resyncAgain.add(userId);
                return CompletableFuture.completedFuture(null);
            }
            generation = generation(userId);
        }
        String uri = "/_matrix/federation/v1/user/devices/" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
        CompletableFuture<Void> done;
        try {
            done = client.request(FederationRequest.get(server, uri))
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .thenAccept(answer -> storeIfCurrent(generation, fromUserDevices(userId, answer)));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((ok, error) -> {
            if (error != null) {
                // The next key query asks the server instead.
                LOG.info("resynchronising the device list of {} failed: {}", userId, error.toString());
            }
            boolean again;
            synchronized (this) {
                resyncing.remove(userId);
                again = resyncAgain.remove(userId);
            }
            if (again) {
                resync(userId);
            }
        });
    }

    /** A {@code user/devices} answer as a list; devices whose keys name another user or device are left out. */
    static RemoteDeviceList fromUserDevices(String userId, JsonNode answer) {
        if (!userId.equals(answer.path("user_id").asText())) {
            throw new IllegalArgumentException("the user/devices answer is about " + answer.path("user_id")
                    + ", not " + userId);
        }
        ObjectNode devices = JSON.objectNode();
        for (JsonNode device : answer.path("devices")) {
            String deviceId = device.path("device_id").asText("");
            deviceKeys(userId, deviceId, device.get("keys")).ifPresent(keys -> {
                if (device.path("device_display_name").isTextual()) {
                    keys.putObject("unsigned").put("device_display_name", device.get("device_display_name").textValue());
                }
                devices.set(deviceId, keys);
            });
        }
        List<Long> streamIds = answer.path("stream_id").canConvertToLong()
                ? List.of(answer.get("stream_id").asLong()) : List.of();
        return new RemoteDeviceList(userId, devices, crossSigningKey(userId, answer.get("master_key")),
                crossSigningKey(userId, answer.get("self_signing_key")), streamIds);
    }

    /** The device keys if they are an object naming this user and device. */
    static Optional<ObjectNode> deviceKeys(String userId, String deviceId, JsonNode keys) {
        if (keys instanceof ObjectNode object && !deviceId.isEmpty()
                && userId.equals(object.path("user_id").asText()) && deviceId.equals(object.path("device_id").asText())) {
            return Optional.of(object.deepCopy());
        }
        return Optional.empty();
    }

    /** The cross-signing key if it is an object naming this user. */
    static Optional<ObjectNode> crossSigningKey(String userId, JsonNode key) {
        if (key instanceof ObjectNode object && userId.equals(object.path("user_id").asText())) {
            return Optional.of(object.deepCopy());
        }
        return Optional.empty();
    }

    /** The device keys of a key query answer for one user, checked as {@link #deviceKeys}. */
    static ObjectNode checkedDevices(String userId, JsonNode devices) {
        ObjectNode checked = JSON.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = devices.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> device = it.next();
            deviceKeys(userId, device.getKey(), device.getValue()).ifPresent(keys -> checked.set(device.getKey(), keys));
        }
        return checked;
    }

    /** The user's entry, read from the store on first use. Callers hold this object's lock. */
    private Optional<RemoteDeviceList> held(String userId) {
        Optional<RemoteDeviceList> list = lists.get(userId);
        if (list == null) {
            list = load(userId);
            lists.put(userId, list);
        }
        return list;
    }

    private Optional<RemoteDeviceList> load(String userId) {
        Optional<String> json = store.read(tx -> tx.remoteDeviceLists().get(userId));
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RemoteDeviceList.fromJson(userId,
                    CanonicalJson.parseObjectLenient(json.get().getBytes(StandardCharsets.UTF_8))));
        } catch (RuntimeException e) {
            // A list that cannot be read is asked for again, like one never cached.
            LOG.warn("ignoring the unreadable cached device list of {}: {}", userId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Makes {@code list} the user's entry and queues it for the store. Callers hold this object's
     * lock, so the store receives an entry's changes in the order they were made.
     */
    private void hold(String userId, Optional<RemoteDeviceList> list) {
        lists.put(userId, list);
        String json = list.map(RemoteDeviceList::toJson).orElse(null);
        try {
            store.write(tx -> json == null ? tx.remoteDeviceLists().delete(userId)
                    : putting(tx.remoteDeviceLists(), userId, json)).exceptionally(error -> {
                        LOG.warn("keeping the device list of {} failed: {}", userId, error.toString());
                        return false;
                    });
        } catch (RuntimeException e) {
            LOG.warn("keeping the device list of {} failed: {}", userId, e.toString());
        }
    }

    private static boolean putting(RemoteDeviceListCache.Writer cache, String userId, String json) {
        cache.put(userId, json);
        return true;
    }

    private boolean sharesRoomWithLocalUser(String userId) {
        return store.read(tx -> JoinedServers.sharingRoomWith(tx, userId).contains(localServer));
    }
}
