package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.outbound.JoinedServers;
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
 * The cache of remote users' device lists ("Device Management" of the server-server API). A list
 * is kept only for users who share a room with a local user, since only they send this server
 * {@code m.device_list_update} EDUs. An update whose {@code prev_id}s are all known is applied
 * to the list; any other update (an unknown or empty {@code prev_id}) drops the list and
 * resynchronises it with {@code GET /_matrix/federation/v1/user/devices/{userId}}.
 *
 * <p>Every change of a user's entry bumps the user's generation; an answer is cached only if the
 * generation it was asked under is still current, so an answer that raced an update never
 * replaces the news.
 */
public final class RemoteDeviceLists {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDeviceLists.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final FederationClient client;
    private final Store store;
    private final String localServer;
    private final Duration timeout;
    private final Map<String, RemoteDeviceList> lists = new HashMap<>();
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
        return Optional.ofNullable(lists.get(userId));
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
            lists.put(list.userId(), list);
            return true;
        }
    }

    /** Forgets the user's list, e.g. when the user no longer shares a room with this server. */
    public synchronized void invalidate(String userId) {
        lists.remove(userId);
        generations.merge(userId, 1L, Long::sum);
    }

    /**
     * Takes the content of an {@code m.device_list_update} from the user's own server: applies it
     * to the cached list when it follows from it, else drops the list and resynchronises it.
     */
    void deviceListUpdate(ObjectNode content) {
        String userId = content.path("user_id").asText();
        String deviceId = content.path("device_id").asText("");
        long streamId = content.path("stream_id").asLong(-1);
        List<Long> prevIds = new ArrayList<>();
        content.path("prev_id").forEach(id -> prevIds.add(id.asLong()));
        boolean deleted = content.path("deleted").asBoolean(false);
        Optional<ObjectNode> keys = deleted ? Optional.empty() : deviceKeys(userId, deviceId, content.get("keys"));
        boolean applied;
        synchronized (this) {
            RemoteDeviceList list = lists.get(userId);
            applied = list != null && !deviceId.isEmpty() && streamId >= 0 && list.follows(prevIds)
                    && (deleted || keys.isPresent());
            if (applied) {
                lists.put(userId, list.withDevice(deviceId, keys, streamId));
                generations.merge(userId, 1L, Long::sum);
            }
        }
        if (!applied) {
            invalidate(userId);
            if (sharesRoomWithLocalUser(userId)) {
                resync(userId);
            }
        }
    }

    /** Takes the content of an {@code m.signing_key_update}: new master and self-signing keys. */
    void signingKeyUpdate(ObjectNode content) {
        String userId = content.path("user_id").asText();
        Optional<ObjectNode> master = crossSigningKey(userId, content.get("master_key"));
        Optional<ObjectNode> selfSigning = crossSigningKey(userId, content.get("self_signing_key"));
        synchronized (this) {
            RemoteDeviceList list = lists.get(userId);
            if (list != null) {
                lists.put(userId, list.withCrossSigningKeys(master, selfSigning));
                generations.merge(userId, 1L, Long::sum);
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

    private boolean sharesRoomWithLocalUser(String userId) {
        return store.read(tx -> JoinedServers.sharingRoomWith(tx, userId).contains(localServer));
    }
}
