package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.Device;
import dev.hyphae.store.QueuedItem;
import dev.hyphae.store.Store;
import dev.hyphae.store.ToDeviceMessage;
import dev.hyphae.store.WriteTransaction;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Send-to-device messaging: {@code PUT /sendToDevice/{eventType}/{txnId}} puts each message in the
 * durable inbox of the addressed local devices, or queues an {@code m.direct_to_device} EDU for
 * each remote server, in one unit; {@code /sync} reads a device's inbox after a position and
 * deletes up to the position the client acknowledged with its next {@code since}.
 */
public final class ToDeviceMessages {
    /** The spec's recommended limit of to-device messages in one /sync response. */
    public static final int SYNC_LIMIT = 100;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String ALL_DEVICES = "*";

    private final Store store;
    private final LocalUsers localUsers;
    private final E2eeListener listener;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ToDeviceMessages(Store store, LocalUsers localUsers, E2eeListener listener, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.localUsers = Objects.requireNonNull(localUsers, "localUsers");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends the request's {@code messages} (user to device ID or {@code *} to content) of
     * {@code type} from {@code sender}. Unknown local users and devices are skipped, as the spec's
     * "known devices" implies. Transaction ID idempotency is the caller's. Fails with M_BAD_JSON or
     * M_INVALID_PARAM for a malformed request, before anything is stored.
     */
    public CompletableFuture<Void> send(String sender, String type, ObjectNode messages) {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(messages, "messages");
        Map<String, Map<String, ObjectNode>> local = new LinkedHashMap<>();
        Map<String, ObjectNode> remoteByServer = new LinkedHashMap<>();
        try {
            if (type.isEmpty()) {
                throw E2eeException.invalidParam("the event type must not be empty");
            }
            for (Iterator<Map.Entry<String, JsonNode>> users = messages.fields(); users.hasNext(); ) {
                Map.Entry<String, JsonNode> user = users.next();
                Map<String, ObjectNode> byDevice = contentByDevice(user.getKey(), user.getValue());
                if (localUsers.isLocal(user.getKey())) {
                    local.put(user.getKey(), byDevice);
                } else {
                    remoteByServer.computeIfAbsent(LocalUsers.serverOf(user.getKey()), server -> JSON.objectNode())
                            .set(user.getKey(), user.getValue());
                }
            }
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<String> edus = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> server : remoteByServer.entrySet()) {
            edus.add(directToDeviceEdu(sender, type, server.getValue()));
        }
        long now = clock.millis();
        return store.write(tx -> {
            deliverLocally(tx, sender, type, local);
            int i = 0;
            for (String server : remoteByServer.keySet()) {
                tx.federationQueue().enqueue(server, QueuedItem.Kind.EDU, edus.get(i++), now);
            }
            return null;
        });
    }

    /**
     * Delivers the content of an {@code m.direct_to_device} EDU received from {@code origin} to
     * local devices. Fails with M_FORBIDDEN when the sender is not a user of the origin server.
     */
    public CompletableFuture<Void> receiveFromFederation(String origin, ObjectNode eduContent) {
        try {
            String sender = JsonFields.requiredString(eduContent, "sender");
            if (!LocalUsers.serverOf(sender).equals(origin)) {
                throw E2eeException.forbidden("the sender " + sender + " is not a user of " + origin);
            }
            String type = JsonFields.requiredString(eduContent, "type");
            ObjectNode messages = JsonFields.requiredObject(eduContent, "messages");
            Map<String, Map<String, ObjectNode>> local = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> users = messages.fields(); users.hasNext(); ) {
                Map.Entry<String, JsonNode> user = users.next();
                if (localUsers.isLocal(user.getKey())) {
                    local.put(user.getKey(), contentByDevice(user.getKey(), user.getValue()));
                }
            }
            return store.write(tx -> {
                deliverLocally(tx, sender, type, local);
                return null;
            });
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Up to {@code limit} messages of the device's inbox after {@code since}, in arrival order, and
     * the position that acknowledges them ({@code since} itself when there are none).
     */
    public ToDeviceBatch pending(String userId, String deviceId, long since, int limit) {
        List<ToDeviceMessage> messages = store.read(tx -> tx.toDeviceInbox().after(userId, deviceId, since, limit));
        List<ObjectNode> events = new ArrayList<>();
        long next = since;
        for (ToDeviceMessage message : messages) {
            ObjectNode event = JSON.objectNode();
            event.put("sender", message.sender());
            event.put("type", message.type());
            event.set("content", CanonicalJson.parseObject(message.contentJson()));
            events.add(event);
            next = message.position();
        }
        return new ToDeviceBatch(events, next);
    }

    /** Deletes the device's messages up to {@code position}, which the client has acknowledged. */
    public CompletableFuture<Integer> acknowledge(String userId, String deviceId, long position) {
        return store.write(tx -> tx.toDeviceInbox().deleteUpTo(userId, deviceId, position));
    }

    /** The position of the latest message in any inbox. */
    public long currentPosition() {
        return store.read(tx -> tx.toDeviceInbox().latestPosition());
    }

    private void deliverLocally(WriteTransaction tx, String sender, String type, Map<String, Map<String, ObjectNode>> local) {
        for (Map.Entry<String, Map<String, ObjectNode>> user : local.entrySet()) {
            String userId = user.getKey();
            Map<String, ObjectNode> byDevice = new LinkedHashMap<>(user.getValue());
            ObjectNode toAll = byDevice.remove(ALL_DEVICES);
            List<Device> devices = tx.devices().forUser(userId);
            for (Device device : devices) {
                ObjectNode content = byDevice.getOrDefault(device.deviceId(), toAll);
                if (content == null) {
                    continue;
                }
                long position = tx.toDeviceInbox().add(userId, device.deviceId(), sender, type,
                        JsonFields.canonical(content));
                tx.afterCommit(() -> listener.toDeviceMessage(userId, device.deviceId(), position));
            }
        }
    }

    private String directToDeviceEdu(String sender, String type, ObjectNode messages) {
        ObjectNode edu = JSON.objectNode();
        edu.put("edu_type", "m.direct_to_device");
        ObjectNode content = edu.putObject("content");
        content.put("sender", sender);
        content.put("type", type);
        byte[] id = new byte[16];
        random.nextBytes(id);
        content.put("message_id", HexFormat.of().formatHex(id));
        content.set("messages", messages);
        return JsonFields.canonical(edu);
    }

    private static Map<String, ObjectNode> contentByDevice(String userId, JsonNode devices) {
        if (devices == null || !devices.isObject()) {
            throw E2eeException.badJson("messages." + userId + " must map device IDs to message contents");
        }
        Map<String, ObjectNode> byDevice = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = devices.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> device = it.next();
            if (!device.getValue().isObject()) {
                throw E2eeException.badJson("messages." + userId + "." + device.getKey() + " must be an object");
            }
            JsonFields.canonical(device.getValue());
            byDevice.put(device.getKey(), (ObjectNode) device.getValue());
        }
        return byDevice;
    }
}
