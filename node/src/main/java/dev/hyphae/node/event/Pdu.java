package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.EventFormat;
import dev.hyphae.node.room.RoomVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A persistent data unit: one room event in its federation form, with its event ID and room
 * version. Immutable: the public constructor copies the JSON in and {@link #json()} hands out
 * copies; {@link #field(String)}, {@link #contentField(String)} and {@link #contentView()} read
 * without copying. The top-level facts state resolution and the auth rules ask for again and again
 * (type, sender, state key, references, depth, timestamp) are read from the JSON once, when built.
 *
 * <p>The constructor and {@link #fromStoredJson} trust their event ID (events read back from the
 * store). Events from the network are built by {@link PduFactory}, which checks the format and
 * derives the ID; this server's new events are finished by {@link EventSigner}.
 */
public final class Pdu {
    private final String eventId;
    private final ObjectNode json;
    private final RoomVersion roomVersion;
    private final String roomId;
    private final String type;
    private final String sender;
    private final Optional<String> stateKey;
    private final Optional<StateKey> stateTuple;
    private final List<String> prevEventIds;
    private final List<String> authEventIds;
    private final long depth;
    private final long originServerTs;
    private final ObjectNode content;
    /**
     * The canonical JSON of the redacted event without signatures and unsigned, when the event code
     * already made it (the reference hash input, which is also what signatures cover); else null.
     */
    private final byte[] signedBytes;
    /** The canonical JSON of the whole event, when the event code already encoded it; else null. */
    private final byte[] encoded;

    public Pdu(String eventId, ObjectNode json, RoomVersion roomVersion) {
        this(eventId, Objects.requireNonNull(json, "json").deepCopy(), roomVersion, null, null);
    }

    private Pdu(String eventId, ObjectNode ownedJson, RoomVersion roomVersion, byte[] signedBytes, byte[] encoded) {
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.json = Objects.requireNonNull(ownedJson, "json");
        this.roomVersion = Objects.requireNonNull(roomVersion, "roomVersion");
        JsonNode room = ownedJson.get("room_id");
        this.roomId = room != null && room.isTextual() ? room.asText() : null;
        this.type = text(ownedJson, "type");
        this.sender = text(ownedJson, "sender");
        JsonNode key = ownedJson.get("state_key");
        this.stateKey = key != null && key.isTextual() ? Optional.of(key.asText()) : Optional.empty();
        this.stateTuple = stateKey.map(k -> StateKey.of(type, k));
        this.prevEventIds = eventIds(ownedJson, "prev_events", roomVersion);
        this.authEventIds = eventIds(ownedJson, "auth_events", roomVersion);
        this.depth = ownedJson.path("depth").asLong();
        this.originServerTs = ownedJson.path("origin_server_ts").asLong();
        this.content = ownedJson.get("content") instanceof ObjectNode object ? object : null;
        this.signedBytes = signedBytes;
        this.encoded = encoded;
    }

    /**
     * An event read back from this node's store: parsed without the format checks it passed when
     * it was accepted, and not copied. The event ID is trusted.
     *
     * @throws dev.hyphae.node.json.CanonicalJsonException when the stored bytes are not JSON
     */
    public static Pdu fromStoredJson(String eventId, byte[] json, RoomVersion roomVersion) {
        return owning(eventId, CanonicalJson.parseObjectLenient(json), roomVersion);
    }

    /**
     * Wraps {@code json} without copying it: the event code hands over trees nobody else holds,
     * which keeps the receive and send paths free of deep copies.
     */
    static Pdu owning(String eventId, ObjectNode json, RoomVersion roomVersion) {
        return new Pdu(eventId, json, roomVersion, null, null);
    }

    /**
     * {@link #owning(String, ObjectNode, RoomVersion)} keeping the signed bytes the caller has just
     * encoded (for the event ID), so that checking the signatures need not encode them again.
     */
    static Pdu owning(String eventId, ObjectNode json, RoomVersion roomVersion, byte[] signedBytes) {
        return new Pdu(eventId, json, roomVersion, signedBytes, null);
    }

    /**
     * {@link #owning(String, ObjectNode, RoomVersion, byte[])} also keeping {@code encoded}, the
     * canonical JSON of {@code json} as it is, so that storing the event does not encode it again.
     */
    static Pdu owning(String eventId, ObjectNode json, RoomVersion roomVersion, byte[] signedBytes, byte[] encoded) {
        return new Pdu(eventId, json, roomVersion, signedBytes, encoded);
    }

    public String eventId() {
        return eventId;
    }

    public RoomVersion roomVersion() {
        return roomVersion;
    }

    /** A copy of the event's JSON as received or built (with signatures and hashes). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /**
     * This event as redacted by its room version's redaction algorithm, with the same event ID
     * (for applying a redaction, or when the content hash does not match).
     */
    public Pdu redacted() {
        return owning(eventId, Redaction.redact(json, roomVersion.redaction()).deepCopy(), roomVersion);
    }

    /** The event's JSON itself, for the event code's hashing and signature checks; never changed. */
    ObjectNode jsonView() {
        return json;
    }

    /**
     * The canonical JSON of the redacted event without {@code signatures} and {@code unsigned}: the
     * bytes the signatures cover and the reference hash hashes. Encoded again unless kept when built.
     */
    byte[] signedBytes() {
        if (signedBytes != null) {
            return signedBytes; // never changed: callers only hash and verify it
        }
        return CanonicalJson.encodeWithout(Redaction.redact(json, roomVersion.redaction()), ReferenceHash.NOT_HASHED);
    }

    /** The event in canonical JSON (federation form, with signatures and unsigned), e.g. for storage. */
    public byte[] canonicalJson() {
        if (encoded != null) {
            return encoded.clone();
        }
        return CanonicalJson.encode(json);
    }

    /**
     * The room ID. In room version 12 the create event carries none: its room ID is {@code !}
     * followed by its event ID without the {@code $}.
     */
    public String roomId() {
        if (roomId != null) {
            return roomId;
        }
        if (roomVersion.roomIdFromCreateEvent() && isCreate()) {
            return "!" + eventId.substring(1);
        }
        throw new IllegalStateException("event " + eventId + " has no room_id");
    }

    public String sender() {
        return sender;
    }

    public String type() {
        return type;
    }

    /** The state key, present exactly when this is a state event. */
    public Optional<String> stateKey() {
        return stateKey;
    }

    public boolean isState() {
        return stateKey.isPresent();
    }

    /** The (type, state key) pair of a state event. */
    public Optional<StateKey> stateTuple() {
        return stateTuple;
    }

    public boolean isCreate() {
        return "m.room.create".equals(type) && "".equals(stateKey.orElse(null));
    }

    /** A copy of the content object (empty object when absent), which the caller may change. */
    public ObjectNode content() {
        return content != null ? content.deepCopy() : json.objectNode();
    }

    /**
     * The content object itself, without copying (a new empty object when absent): for the auth
     * rules and state resolution, which read the content of the same events many times. The
     * returned node belongs to this event and must not be changed; use {@link #content()} for a
     * copy that may be.
     */
    public ObjectNode contentView() {
        return content != null ? content : json.objectNode();
    }

    /**
     * One top-level value of the event (e.g. {@code signatures}, {@code room_id}), without copying;
     * a missing node when absent. The returned node belongs to this event and must not be changed.
     */
    public JsonNode field(String name) {
        return json.path(name);
    }

    /**
     * One value of the content, without copying (a missing node when absent): the cheap way for
     * the auth rules and state resolution to read {@code membership}, {@code users} and the like.
     * The returned node belongs to this event and must not be changed.
     */
    public JsonNode contentField(String name) {
        return json.path("content").path(name);
    }

    /** The IDs of the {@code prev_events}, unmodifiable. */
    public List<String> prevEventIds() {
        return prevEventIds;
    }

    /** The IDs of the {@code auth_events}, unmodifiable. */
    public List<String> authEventIds() {
        return authEventIds;
    }

    public long depth() {
        return depth;
    }

    public long originServerTs() {
        return originServerTs;
    }

    /** The event a redaction redacts: a content key from v11 on, top-level before. */
    public Optional<String> redacts() {
        JsonNode redacts = roomVersion.redactsInContent() ? json.path("content").get("redacts") : json.get("redacts");
        return redacts != null && redacts.isTextual() ? Optional.of(redacts.asText()) : Optional.empty();
    }

    private static String text(ObjectNode json, String key) {
        JsonNode value = json.get(key);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    private static List<String> eventIds(ObjectNode json, String key, RoomVersion roomVersion) {
        JsonNode refs = json.get(key);
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(refs.size());
        for (JsonNode ref : refs) {
            // Room versions 1 and 2 reference events as [event_id, {hashes}] pairs.
            JsonNode id = roomVersion.eventFormat() == EventFormat.V1 && ref.isArray() ? ref.get(0) : ref;
            if (id != null && id.isTextual()) {
                ids.add(id.asText());
            }
        }
        return Collections.unmodifiableList(ids);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pdu pdu && pdu.eventId.equals(eventId);
    }

    @Override
    public int hashCode() {
        return eventId.hashCode();
    }

    @Override
    public String toString() {
        return "Pdu[" + eventId + " " + type() + stateKey().map(k -> " '" + k + "'").orElse("") + "]";
    }
}
