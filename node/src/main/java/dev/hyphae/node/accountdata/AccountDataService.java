package dev.hyphae.node.accountdata;

import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.RoomId;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.AccountDataEntry;
import dev.hyphae.store.Store;
import dev.hyphae.store.WriteTransaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Client Config (the account data module): global and per-room account data of local users. Every
 * change takes the next account data stream position, so /sync can return what changed since a
 * position. The caller has already checked that the requester is {@code user} (else M_FORBIDDEN).
 */
public final class AccountDataService {
    /**
     * Types the server manages: clients may read them but setting them through the account data
     * API is refused with 405 M_BAD_JSON, globally and per room.
     */
    public static final Set<String> SERVER_MANAGED_TYPES = Set.of("m.fully_read", "m.push_rules");

    /** The spec's size limit for an event type, which account data types are. */
    static final int MAX_TYPE_BYTES = 255;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final AccountDataListener listener;

    public AccountDataService(Store store, AccountDataListener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * PUT /user/{userId}/account_data/{type}. Completes with the change's stream position after
     * commit.
     *
     * @throws AccountDataException M_BAD_JSON (405) for a server-managed type, M_INVALID_PARAM for
     *                              an empty or over-long type
     */
    public CompletableFuture<Long> setGlobal(UserId user, String type, ObjectNode content) {
        checkClientSettable(type);
        return write(user.toString(), null, type, content);
    }

    /**
     * PUT /user/{userId}/rooms/{roomId}/account_data/{type}.
     *
     * @throws AccountDataException M_INVALID_PARAM (400) for a malformed room ID or type,
     *                              M_BAD_JSON (405) for a server-managed type
     */
    public CompletableFuture<Long> setForRoom(UserId user, String roomId, String type, ObjectNode content) {
        String room = checkedRoomId(roomId);
        checkClientSettable(type);
        return write(user.toString(), room, type, content);
    }

    /**
     * GET /user/{userId}/account_data/{type}.
     *
     * @throws AccountDataException M_NOT_FOUND (404) when there is no such account data
     */
    public ObjectNode getGlobal(UserId user, String type) {
        return read(user.toString(), null, type)
                .orElseThrow(() -> AccountDataException.notFound("no account data of type " + type));
    }

    /**
     * GET /user/{userId}/rooms/{roomId}/account_data/{type}.
     *
     * @throws AccountDataException M_INVALID_PARAM (400) for a malformed room ID, M_NOT_FOUND (404)
     *                              when there is no such account data
     */
    public ObjectNode getForRoom(UserId user, String roomId, String type) {
        return read(user.toString(), checkedRoomId(roomId), type)
                .orElseThrow(() -> AccountDataException.notFound("no account data of type " + type + " in the room"));
    }

    /**
     * The user's account data changed after {@code sincePosition} (0 for all of it), with the
     * position to ask from next time. The position is read in the same snapshot as the changes,
     * so no change falls between two calls.
     */
    public AccountDataChanges changesSince(UserId user, long sincePosition) {
        return store.read(tx -> {
            long position = tx.accountData().currentPosition();
            List<ObjectNode> global = new ArrayList<>();
            Map<String, List<ObjectNode>> rooms = new LinkedHashMap<>();
            for (AccountDataEntry entry : tx.accountData().changedSince(user.toString(), sincePosition)) {
                ObjectNode event = event(entry.type(), parse(entry.contentJson()));
                if (entry.isGlobal()) {
                    global.add(event);
                } else {
                    rooms.computeIfAbsent(entry.roomId(), room -> new ArrayList<>()).add(event);
                }
            }
            return new AccountDataChanges(global, rooms, position);
        });
    }

    /** The highest account data stream position so far. */
    public long currentPosition() {
        return store.read(tx -> tx.accountData().currentPosition());
    }

    /**
     * Sets account data inside the caller's write unit, server-managed types included: for
     * {@code m.push_rules} after a push rule change, or {@code m.fully_read} from the read markers
     * endpoint. Returns the change's stream position; the listener hears of it after commit.
     *
     * @param roomId the room, or {@code null} for global account data
     */
    public long setInTransaction(WriteTransaction tx, String userId, String roomId, String type, ObjectNode content) {
        long position = tx.accountData().put(userId, roomId, type, encode(content));
        tx.afterCommit(() -> listener.accountDataChanged(userId, position));
        return position;
    }

    private CompletableFuture<Long> write(String userId, String roomId, String type, ObjectNode content) {
        Objects.requireNonNull(content, "content");
        ObjectNode copy = content.deepCopy();
        return store.write(tx -> setInTransaction(tx, userId, roomId, type, copy));
    }

    private Optional<ObjectNode> read(String userId, String roomId, String type) {
        Objects.requireNonNull(type, "type");
        return store.read(tx -> tx.accountData().get(userId, roomId, type)).map(entry -> parse(entry.contentJson()));
    }

    private static void checkClientSettable(String type) {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) {
            throw AccountDataException.invalidParam("account data type must not be empty");
        }
        if (type.getBytes(StandardCharsets.UTF_8).length > MAX_TYPE_BYTES) {
            throw AccountDataException.invalidParam("account data type is longer than " + MAX_TYPE_BYTES + " bytes");
        }
        if (SERVER_MANAGED_TYPES.contains(type)) {
            throw AccountDataException.badJson(405, "cannot set " + type + " through this API: the server manages it");
        }
    }

    private static String checkedRoomId(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        try {
            return RoomId.parse(roomId).toString();
        } catch (InvalidIdentifierException e) {
            throw AccountDataException.invalidParam(e.getMessage());
        }
    }

    static ObjectNode event(String type, ObjectNode content) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.set("content", content);
        return event;
    }

    private static String encode(ObjectNode content) {
        try {
            return JSON.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("account data content cannot be encoded: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored account data is not a JSON object", e);
        }
    }
}
