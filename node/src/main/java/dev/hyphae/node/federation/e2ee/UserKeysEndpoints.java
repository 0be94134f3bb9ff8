package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Store;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * The server-server "End-to-End Encryption" and "Device Management" endpoints for users of this
 * server: {@code GET /user/devices/{userId}}, {@code POST /user/keys/query} and
 * {@code POST /user/keys/claim}. The asking server sees what any remote requester sees: device
 * keys, master and self-signing keys with their owner's signatures, never user-signing keys.
 * A user ID of another server, or one that is not a user ID, is refused with 400
 * {@code M_INVALID_PARAM}; a user this server does not know gets 404 {@code M_NOT_FOUND} from
 * {@code user/devices} and is simply absent from key answers.
 */
public final class UserKeysEndpoints implements FederationEndpointGroup {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String V1 = "/_matrix/federation/v1";

    private final EndToEndEncryption e2ee;
    private final Store store;
    private final String localServer;

    public UserKeysEndpoints(EndToEndEncryption e2ee, Store store, String localServer) {
        this.e2ee = Objects.requireNonNull(e2ee, "e2ee");
        this.store = Objects.requireNonNull(store, "store");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.add(Method.GET, V1 + "/user/devices/{userId}", this::devices)
                .add(Method.POST, V1 + "/user/keys/query", this::query)
                .add(Method.POST, V1 + "/user/keys/claim", this::claim);
    }

    /** GET /_matrix/federation/v1/user/devices/{userId} */
    MatrixResponse devices(String origin, MatrixRequest request) {
        String userId = localUser(request.pathParameter("userId"));
        boolean known = store.read(tx -> tx.accounts().get(userId).isPresent());
        if (!known) {
            throw MatrixException.notFound("no such user " + userId);
        }
        // Read before the keys: the devices then reflect at least every update up to this stream ID
        // (an update after it re-applied to them changes nothing).
        long streamId = store.read(tx -> tx.deviceListStreamIds().latest(userId));
        ObjectNode keys = e2ee.keyQueries().localKeys(origin, Map.of(userId, List.of()));
        ObjectNode body = JSON.objectNode();
        body.put("user_id", userId);
        body.put("stream_id", streamId);
        var devices = body.putArray("devices");
        JsonNode deviceKeys = keys.path("device_keys").path(userId);
        for (Iterator<Map.Entry<String, JsonNode>> it = deviceKeys.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> device = it.next();
            ObjectNode deviceKeysCopy = ((ObjectNode) device.getValue()).deepCopy();
            JsonNode unsigned = deviceKeysCopy.remove("unsigned");
            ObjectNode entry = devices.addObject();
            entry.put("device_id", device.getKey());
            entry.set("keys", deviceKeysCopy);
            JsonNode displayName = unsigned == null ? null : unsigned.get("device_display_name");
            if (displayName != null && displayName.isTextual()) {
                entry.put("device_display_name", displayName.textValue());
            }
        }
        if (keys.path("master_keys").has(userId)) {
            body.set("master_key", keys.get("master_keys").get(userId));
        }
        if (keys.path("self_signing_keys").has(userId)) {
            body.set("self_signing_key", keys.get("self_signing_keys").get(userId));
        }
        return MatrixResponse.ok(body);
    }

    /** POST /_matrix/federation/v1/user/keys/query */
    MatrixResponse query(String origin, MatrixRequest request) {
        ObjectNode asked = requiredObject(request.jsonObject().raw(), "device_keys");
        Map<String, List<String>> devicesByUser = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = asked.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> user = it.next();
            String userId = localUser(user.getKey());
            if (!user.getValue().isArray()) {
                throw MatrixException.badJson("device_keys." + userId + " must be an array of device IDs");
            }
            List<String> devices = new ArrayList<>();
            for (JsonNode device : user.getValue()) {
                if (!device.isTextual()) {
                    throw MatrixException.badJson("device_keys." + userId + " must be an array of device IDs");
                }
                devices.add(device.textValue());
            }
            devicesByUser.put(userId, devices);
        }
        ObjectNode keys = e2ee.keyQueries().localKeys(origin, devicesByUser);
        // User-signing keys are only ever shown to their owner, who is on this server.
        keys.remove("user_signing_keys");
        return MatrixResponse.ok(keys);
    }

    /** POST /_matrix/federation/v1/user/keys/claim */
    MatrixResponse claim(String origin, MatrixRequest request) {
        ObjectNode asked = requiredObject(request.jsonObject().raw(), "one_time_keys");
        Map<String, Map<String, String>> algorithms = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = asked.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> user = it.next();
            String userId = localUser(user.getKey());
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson("one_time_keys." + userId + " must map device IDs to algorithms");
            }
            Map<String, String> byDevice = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> devices = user.getValue().fields(); devices.hasNext(); ) {
                Map.Entry<String, JsonNode> device = devices.next();
                if (!device.getValue().isTextual() || device.getValue().textValue().isEmpty()) {
                    throw MatrixException.badJson("one_time_keys." + userId + "." + device.getKey()
                            + " must be an algorithm");
                }
                byDevice.put(device.getKey(), device.getValue().textValue());
            }
            algorithms.put(userId, byDevice);
        }
        ObjectNode claimed;
        try {
            claimed = e2ee.keyClaims().claimLocal(algorithms).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        ObjectNode body = JSON.objectNode();
        body.set("one_time_keys", claimed);
        return MatrixResponse.ok(body);
    }

    /** The user ID if it names a user of this server; M_INVALID_PARAM otherwise. */
    private String localUser(String text) {
        UserId userId;
        try {
            userId = UserId.parse(text);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("not a user ID: " + text);
        }
        if (!userId.serverName().toString().equals(localServer)) {
            throw MatrixException.invalidParam(text + " is not a user of this server");
        }
        return userId.toString();
    }

    private static ObjectNode requiredObject(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            throw MatrixException.missingParam(field + " is required");
        }
        if (!value.isObject()) {
            throw MatrixException.badJson(field + " must be an object");
        }
        return (ObjectNode) value;
    }
}
