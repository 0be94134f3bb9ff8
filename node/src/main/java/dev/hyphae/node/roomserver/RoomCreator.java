package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.RoomAlias;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.store.Room;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates rooms as {@code POST /createRoom} describes: the create event, the creator's join, the
 * power levels, the canonical alias, the preset's events, {@code initial_state}, name and topic,
 * then the invites, in that order. Every event is built and checked against the auth rules in
 * memory, then the whole room is stored in one write: a room exists completely or not at all.
 */
public final class RoomCreator {
    private static final Logger LOG = LoggerFactory.getLogger(RoomCreator.class);
    /** The room versions this node creates rooms in. */
    public static final Set<String> CREATABLE_VERSIONS = Set.of("10", "11", "12");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final RoomEventSender sender;
    private final SecureRandom random;
    private final FederatedMembership federation;
    private final MemberProfiles profiles;
    /** Create events get distinct timestamps: a v12 room ID is the hash of its create event. */
    private final AtomicLong lastCreateTs = new AtomicLong();

    public RoomCreator(RoomEventSender sender, SecureRandom random) {
        this(sender, random, FederatedMembership.NONE);
    }

    /** A creator whose invites of users of other servers go through {@code federation} once the room exists. */
    public RoomCreator(RoomEventSender sender, SecureRandom random, FederatedMembership federation) {
        this(sender, random, federation, MemberProfiles.NONE);
    }

    /** A creator whose join event carries the creator's display name and avatar from {@code profiles}. */
    public RoomCreator(RoomEventSender sender, SecureRandom random, FederatedMembership federation,
            MemberProfiles profiles) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.random = Objects.requireNonNull(random, "random");
        this.federation = Objects.requireNonNull(federation, "federation");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
    }

    /**
     * Creates the room and returns its ID once it is durably stored.
     *
     * @throws RoomServerException UNSUPPORTED_ROOM_VERSION, BAD_REQUEST for malformed options
     *                             (bad user IDs, alias), INVALID_ROOM_STATE when an event the
     *                             request implies breaks the auth rules (with the reason)
     */
    public String createRoom(CreateRoomRequest request) {
        Objects.requireNonNull(request, "request");
        String versionId = request.roomVersion() == null ? RoomVersions.DEFAULT : request.roomVersion();
        if (!CREATABLE_VERSIONS.contains(versionId)) {
            throw new RoomServerException(RoomServerException.Kind.UNSUPPORTED_ROOM_VERSION,
                    "this server does not create rooms of version " + versionId);
        }
        RoomVersion version = RoomVersions.get(versionId);
        String creator = request.creator();
        requireUserId(creator);
        request.invite().forEach(RoomCreator::requireUserId);
        RoomPreset preset = request.effectivePreset();
        LocalEventBuilder builder = sender.builder();
        long ts = nextCreateTs();

        // 1. The m.room.create event.
        String roomId = version.roomIdFromCreateEvent() ? null : "!" + randomId() + ":" + builder.serverName();
        Pdu create = buildCreate(builder, version, roomId, request, preset, ts);
        roomId = create.roomId();
        List<Pdu> events = new ArrayList<>();
        events.add(create);
        RoomHead head = RoomHead.ofCreate(roomId, create);

        List<EventDraft> drafts = new ArrayList<>();
        // 2. The creator's join.
        ObjectNode creatorJoin = member("join");
        profiles.addTo(creator, creatorJoin);
        drafts.add(EventDraft.state(roomId, creator, "m.room.member", creator, creatorJoin));
        // 3. The power levels, with power_level_content_override applied on top.
        drafts.add(EventDraft.state(roomId, creator, "m.room.power_levels", "",
                powerLevels(version, creator, request, preset)));
        // 4. The canonical alias.
        if (request.roomAliasName() != null) {
            ObjectNode alias = JSON.objectNode();
            alias.put("alias", alias(request.roomAliasName(), builder.serverName()));
            drafts.add(EventDraft.state(roomId, creator, "m.room.canonical_alias", "", alias));
        }
        // 5. The preset's events, unless initial_state sets the same state (it takes precedence).
        Set<StateKey> initialKeys = new HashSet<>();
        request.initialState().forEach(e -> initialKeys.add(StateKey.of(e.type(), e.stateKey())));
        addPresetEvent(drafts, initialKeys, roomId, creator, "m.room.join_rules", "join_rule", preset.joinRule());
        addPresetEvent(drafts, initialKeys, roomId, creator, "m.room.history_visibility", "history_visibility",
                preset.historyVisibility());
        addPresetEvent(drafts, initialKeys, roomId, creator, "m.room.guest_access", "guest_access",
                preset.guestAccess());
        // 6. initial_state, in order; name and topic override theirs.
        for (InitialStateEvent state : request.initialState()) {
            if (state.type().equals("m.room.create")) {
                throw new RoomServerException(RoomServerException.Kind.INVALID_ROOM_STATE,
                        "initial_state must not hold an m.room.create event");
            }
            boolean overridden = state.stateKey().isEmpty()
                    && ((state.type().equals("m.room.name") && request.name() != null)
                    || (state.type().equals("m.room.topic") && request.topic() != null));
            if (!overridden) {
                drafts.add(EventDraft.state(roomId, creator, state.type(), state.stateKey(), state.content()));
            }
        }
        // 7. Name and topic.
        if (request.name() != null) {
            ObjectNode name = JSON.objectNode();
            name.put("name", request.name());
            drafts.add(EventDraft.state(roomId, creator, "m.room.name", "", name));
        }
        if (request.topic() != null) {
            drafts.add(EventDraft.state(roomId, creator, "m.room.topic", "", topic(request.topic())));
        }
        // 8. Invites (invite_3pid is not supported yet). Users of other servers are invited once the
        // room is stored, since their servers must sign the invites first.
        List<EventDraft> remoteInvites = new ArrayList<>();
        for (String invitee : new LinkedHashSet<>(request.invite())) {
            ObjectNode invite = member("invite");
            if (request.isDirect()) {
                invite.put("is_direct", true);
            }
            EventDraft draft = EventDraft.state(roomId, creator, "m.room.member", invitee, invite);
            boolean remote = !UserId.parse(invitee).serverName().toString().equals(builder.serverName());
            (remote && federation != FederatedMembership.NONE ? remoteInvites : drafts).add(draft);
        }

        for (EventDraft draft : drafts) {
            Pdu pdu;
            try {
                pdu = builder.build(head, draft, ts);
            } catch (RoomServerException e) {
                throw invalidRoomState(draft.type(), e);
            }
            events.add(pdu);
            head = head.after(pdu);
        }
        String stored = store(version, roomId, events, ts);
        for (EventDraft invite : remoteInvites) {
            try {
                RoomMemberships.sendInvite(sender, federation, invite);
            } catch (RoomServerException e) {
                // The room exists; an invitee whose server refused can be invited again later.
                LOG.info("invite of {} to new room {} failed: {}", invite.stateKey(), roomId, e.getMessage());
            }
        }
        return stored;
    }

    private String store(RoomVersion version, String roomId, List<Pdu> events, long ts) {
        RoomHead empty = new RoomHead(roomId, version, Map.of(), null, List.of(), Map.of(), ids -> Map.of());
        return sender.locks().withRoom(roomId, () -> sender.commit(tx -> {
            if (!tx.rooms().insert(new Room(roomId, version.id(), ts))) {
                throw new IllegalStateException("room " + roomId + " exists already");
            }
            sender.writer().write(tx, empty, events);
            return roomId;
        }));
    }

    private Pdu buildCreate(LocalEventBuilder builder, RoomVersion version, String roomId, CreateRoomRequest request,
            RoomPreset preset, long ts) {
        ObjectNode content = request.creationContent();
        // "The server will overwrite the following keys: creator, room_version."
        content.remove("creator");
        if (!version.authRules().creatorIsSender()) {
            content.put("creator", request.creator());
        }
        content.put("room_version", version.id());
        if (version.authRules().roomCreators()) {
            // trusted_private_chat: the invitees join additional_creators, without duplicates.
            Set<String> additional = new LinkedHashSet<>();
            JsonNode given = content.get("additional_creators");
            if (given != null) {
                if (!given.isArray()) {
                    throw RoomServerException.badRequest("additional_creators must be an array of user IDs");
                }
                for (JsonNode user : given) {
                    if (!user.isTextual()) {
                        throw RoomServerException.badRequest("additional_creators must be an array of user IDs");
                    }
                    requireUserId(user.textValue());
                    additional.add(user.textValue());
                }
            }
            if (preset == RoomPreset.TRUSTED_PRIVATE_CHAT) {
                additional.addAll(request.invite());
            }
            additional.remove(request.creator());
            content.remove("additional_creators");
            if (!additional.isEmpty()) {
                ArrayNode array = content.putArray("additional_creators");
                additional.forEach(array::add);
            }
        }
        try {
            return builder.buildCreate(version, roomId, request.creator(), content, ts);
        } catch (RoomServerException e) {
            throw invalidRoomState("m.room.create", e);
        }
    }

    /** A rules refusal of an implied event is the request's fault: M_INVALID_ROOM_STATE; others stay as they are. */
    private static RoomServerException invalidRoomState(String type, RoomServerException refusal) {
        if (refusal.kind() != RoomServerException.Kind.FORBIDDEN) {
            return refusal;
        }
        return new RoomServerException(RoomServerException.Kind.INVALID_ROOM_STATE,
                "the " + type + " event of the new room is refused: " + refusal.getMessage(), refusal);
    }

    /**
     * The default power levels: the creator (v1–v11) at 100, state at 50, the sensitive state
     * events at 100; in v12 the creators are not listed (they are above every level) and
     * tombstones need 150, above {@code state_default}. In private presets anyone joined may invite.
     */
    static ObjectNode powerLevels(RoomVersion version, String creator, CreateRoomRequest request, RoomPreset preset) {
        ObjectNode content = JSON.objectNode();
        ObjectNode users = content.putObject("users");
        if (!version.authRules().roomCreators()) {
            users.put(creator, 100);
            if (preset == RoomPreset.TRUSTED_PRIVATE_CHAT) {
                request.invite().forEach(invitee -> users.put(invitee, 100));
            }
        }
        content.put("users_default", 0);
        ObjectNode events = content.putObject("events");
        events.put("m.room.name", 50);
        events.put("m.room.power_levels", 100);
        events.put("m.room.history_visibility", 100);
        events.put("m.room.canonical_alias", 50);
        events.put("m.room.avatar", 50);
        events.put("m.room.tombstone", version.authRules().roomCreators() ? 150 : 100);
        events.put("m.room.server_acl", 100);
        events.put("m.room.encryption", 100);
        content.put("events_default", 0);
        content.put("state_default", 50);
        content.put("ban", 50);
        content.put("kick", 50);
        content.put("redact", 50);
        content.put("invite", preset == RoomPreset.PUBLIC_CHAT ? 50 : 0);
        content.putObject("notifications").put("room", 50);
        ObjectNode override = request.powerLevelContentOverride();
        if (override != null) {
            content.setAll(override);
        }
        return content;
    }

    private static void addPresetEvent(List<EventDraft> drafts, Set<StateKey> initialKeys, String roomId,
            String creator, String type, String key, String value) {
        if (!initialKeys.contains(StateKey.of(type, ""))) {
            ObjectNode content = JSON.objectNode();
            content.put(key, value);
            drafts.add(EventDraft.state(roomId, creator, type, "", content));
        }
    }

    private static ObjectNode topic(String topic) {
        ObjectNode content = JSON.objectNode();
        content.put("topic", topic);
        ObjectNode text = JSON.objectNode();
        text.put("body", topic);
        text.put("mimetype", "text/plain");
        content.putObject("m.topic").putArray("m.text").add(text);
        return content;
    }

    static ObjectNode member(String membership) {
        ObjectNode content = JSON.objectNode();
        content.put("membership", membership);
        return content;
    }

    private static String alias(String localpart, String serverName) {
        try {
            return RoomAlias.of(localpart, ServerName.parse(serverName)).toString();
        } catch (IllegalArgumentException e) {
            throw RoomServerException.badRequest("bad room_alias_name: " + e.getMessage());
        }
    }

    private static void requireUserId(String userId) {
        try {
            UserId.parse(userId);
        } catch (InvalidIdentifierException e) {
            throw RoomServerException.badRequest("not a user ID: " + userId);
        }
    }

    private long nextCreateTs() {
        long now = sender.clock().millis();
        return lastCreateTs.updateAndGet(last -> Math.max(now, last + 1));
    }

    private String randomId() {
        char[] chars = new char[18];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length()));
        }
        return new String(chars);
    }
}
