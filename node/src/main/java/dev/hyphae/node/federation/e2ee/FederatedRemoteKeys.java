package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.RemoteKeys;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.outbound.JoinedServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keys of users on other servers, over federation: {@code POST /_matrix/federation/v1/user/keys/query}
 * for device lists not in {@link RemoteDeviceLists} (whose answers, when they hold all of a user's
 * devices, fill it) and {@code POST .../user/keys/claim} for one-time keys. Answers are checked:
 * only users of the asked server, and keys that name their own user and device, are passed on.
 * Every request is bounded by the timeout; a failed one becomes the server's entry in
 * {@code failures}.
 */
public final class FederatedRemoteKeys implements RemoteKeys {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String QUERY = "/_matrix/federation/v1/user/keys/query";
    static final String CLAIM = "/_matrix/federation/v1/user/keys/claim";

    private final FederationClient client;
    private final RemoteDeviceLists deviceLists;
    private final Duration timeout;

    /**
     * @param timeout the longest any one request to another server may take
     */
    public FederatedRemoteKeys(FederationClient client, RemoteDeviceLists deviceLists, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.deviceLists = Objects.requireNonNull(deviceLists, "deviceLists");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public CompletableFuture<ObjectNode> queryKeys(String serverName, ObjectNode request) {
        ObjectNode answer = JSON.objectNode();
        ObjectNode deviceKeys = answer.putObject("device_keys");
        ObjectNode masterKeys = answer.putObject("master_keys");
        ObjectNode selfSigningKeys = answer.putObject("self_signing_keys");
        ObjectNode toAsk = JSON.objectNode();
        Map<String, Long> generations = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = request.path("device_keys").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> user = it.next();
            String userId = user.getKey();
            if (!JoinedServers.serverOf(userId).map(serverName::equals).orElse(false)) {
                continue;
            }
            Optional<RemoteDeviceList> cached = deviceLists.current(userId);
            if (cached.isPresent()) {
                RemoteDeviceList list = cached.get();
                deviceKeys.set(userId, wanted(list.devices(), user.getValue()));
                list.masterKey().ifPresent(key -> masterKeys.set(userId, key));
                list.selfSigningKey().ifPresent(key -> selfSigningKeys.set(userId, key));
            } else {
                generations.put(userId, deviceLists.generation(userId));
                toAsk.set(userId, user.getValue());
            }
        }
        if (toAsk.isEmpty()) {
            return CompletableFuture.completedFuture(answer);
        }
        ObjectNode body = JSON.objectNode();
        body.set("device_keys", toAsk);
        return send(FederationRequest.post(serverName, QUERY, body)).thenApply(remote -> {
            for (Iterator<String> users = toAsk.fieldNames(); users.hasNext(); ) {
                String userId = users.next();
                ObjectNode devices = RemoteDeviceLists.checkedDevices(userId, remote.path("device_keys").path(userId));
                Optional<ObjectNode> master = RemoteDeviceLists.crossSigningKey(userId,
                        remote.path("master_keys").get(userId));
                Optional<ObjectNode> selfSigning = RemoteDeviceLists.crossSigningKey(userId,
                        remote.path("self_signing_keys").get(userId));
                deviceKeys.set(userId, devices);
                master.ifPresent(key -> masterKeys.set(userId, key));
                selfSigning.ifPresent(key -> selfSigningKeys.set(userId, key));
                if (toAsk.get(userId).isEmpty()) {
                    // All devices were asked for: the answer is the whole list.
                    deviceLists.storeIfCurrent(generations.get(userId),
                            new RemoteDeviceList(userId, devices, master, selfSigning, java.util.List.of()));
                }
            }
            return answer;
        });
    }

    @Override
    public CompletableFuture<ObjectNode> claimKeys(String serverName, ObjectNode request) {
        ObjectNode asked = JSON.objectNode();
        Set<String> users = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = request.path("one_time_keys").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> user = it.next();
            if (JoinedServers.serverOf(user.getKey()).map(serverName::equals).orElse(false)) {
                asked.set(user.getKey(), user.getValue());
                users.add(user.getKey());
            }
        }
        ObjectNode answer = JSON.objectNode();
        ObjectNode claimed = answer.putObject("one_time_keys");
        if (asked.isEmpty()) {
            return CompletableFuture.completedFuture(answer);
        }
        ObjectNode body = JSON.objectNode();
        body.set("one_time_keys", asked);
        return send(FederationRequest.post(serverName, CLAIM, body)).thenApply(remote -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = remote.path("one_time_keys").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> user = it.next();
                if (users.contains(user.getKey()) && user.getValue().isObject()) {
                    claimed.set(user.getKey(), user.getValue());
                }
            }
            return answer;
        });
    }

    private CompletableFuture<JsonNode> send(FederationRequest request) {
        try {
            return client.request(request).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The devices asked for: all for an empty list, else those named that exist. */
    private static ObjectNode wanted(ObjectNode devices, JsonNode askedDevices) {
        if (askedDevices == null || !askedDevices.isArray() || askedDevices.isEmpty()) {
            return devices;
        }
        ObjectNode some = JSON.objectNode();
        for (JsonNode device : askedDevices) {
            JsonNode keys = devices.get(device.asText());
            if (keys != null) {
                some.set(device.asText(), keys);
            }
        }
        return some;
    }
}
