package dev.hyphae.node.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.EventDraft;
import dev.hyphae.node.roomserver.InitialStateEvent;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomPreset;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.RoomServerException;
import dev.hyphae.node.roomserver.TimelineDirection;
import dev.hyphae.store.Membership;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server behaviour of "Room Upgrades": checks the upgrader may send {@code m.room.tombstone},
 * creates the replacement room (its create event carries {@code predecessor} and the old room's
 * {@code type}), replicates the transferable state, moves the local aliases (with the canonical alias
 * and the directory listing), carries the local members' tags and push rules for the old room over to the
 * new one ({@link UserRoomSettings}), tombstones the old room and restricts its power levels so that it is
 * no longer used.
 */
public final class RoomUpgrader {
    private static final Logger LOG = LoggerFactory.getLogger(RoomUpgrader.class);
    /** The spec's recommended state to transfer, power levels aside (they are built, not copied). */
    static final List<String> TRANSFERRED_TYPES = List.of("m.room.server_acl", "m.room.encryption", "m.room.name",
            "m.room.avatar", "m.room.topic", "m.room.guest_access", "m.room.history_visibility", "m.room.join_rules");

    private final RoomCreator creator;
    private final RoomEventSender sender;
    private final RoomQueries queries;
    private final DirectoryEntries directory;
    private final UserRoomSettings userSettings;

    public RoomUpgrader(RoomCreator creator, RoomEventSender sender, RoomQueries queries, DirectoryEntries directory,
            UserRoomSettings userSettings) {
        this.creator = Objects.requireNonNull(creator, "creator");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.userSettings = Objects.requireNonNull(userSettings, "userSettings");
    }

    /**
     * Upgrades {@code roomId} to {@code newVersion} on behalf of {@code userId}; returns the ID of
     * the replacement room.
     *
     * @param additionalCreators the new room's {@code additional_creators} (v12 and later; ignored
     *                           below): the old room's are not carried over
     * @throws RoomServerException UNSUPPORTED_ROOM_VERSION, NOT_FOUND for an unknown room,
     *                             FORBIDDEN when the user is not joined or may not send a tombstone,
     *                             BAD_REQUEST for a bad additional creator
     */
    public String upgrade(String roomId, String userId, String newVersion, List<String> additionalCreators) {
        Objects.requireNonNull(userId, "userId");
        if (newVersion == null || !RoomCreator.CREATABLE_VERSIONS.contains(newVersion)) {
            throw new RoomServerException(RoomServerException.Kind.UNSUPPORTED_ROOM_VERSION,
                    "this server does not support room version " + newVersion);
        }
        RoomVersion version = RoomVersions.get(newVersion);
        Map<StateKey, RoomEvent> state = queries.currentState(roomId);
        Pdu create = state(state, "m.room.create").orElseThrow(
                () -> new RoomServerException(RoomServerException.Kind.NOT_FOUND, "room " + roomId + " has no create event here"));
        Optional<Pdu> powerLevels = state(state, "m.room.power_levels");

        // 1. The user may send m.room.tombstone in the old room.
        String membership = Optional.ofNullable(state.get(StateKey.of("m.room.member", userId)))
                .map(event -> event.pdu().contentField("membership").asText("")).orElse("leave");
        if (!membership.equals("join")) {
            throw new RoomServerException(RoomServerException.Kind.FORBIDDEN, userId + " is not in room " + roomId);
        }
        long upgraderLevel = UpgradePowerLevels.userLevel(create, powerLevels, userId);
        long tombstoneLevel = UpgradePowerLevels.stateLevel(powerLevels, "m.room.tombstone");
        if (upgraderLevel < tombstoneLevel) {
            throw new RoomServerException(RoomServerException.Kind.FORBIDDEN, "upgrading needs power level " + tombstoneLevel
                    + " to send m.room.tombstone; " + userId + " has " + upgraderLevel);
        }

        // 2. and 3. The replacement room with predecessor, type and the transferable state.
        List<String> creators = version.authRules().roomCreators() ? List.copyOf(new LinkedHashSet<>(
                Objects.requireNonNullElse(additionalCreators, List.of()))) : List.of();
        List<InitialStateEvent> transferred = transferredState(state, powerLevels);
        ObjectNode powerLevelsOverride = powerLevels.map(pl -> UpgradePowerLevels.forNewRoom(pl.content(), version,
                userId, creators, upgraderLevel, neededLevel(powerLevels, transferred))).orElse(null);
        String newRoomId = creator.createRoom(new CreateRoomRequest(userId, newVersion, RoomPreset.PRIVATE_CHAT, null,
                null, null, null, List.of(), false, creationContent(roomId, create, version, creators), transferred,
                powerLevelsOverride));
        if (upgraderLevel != UpgradePowerLevels.INFINITE) {
            restoreUpgraderLevel(newRoomId, userId, version, powerLevels, powerLevelsOverride);
        }

        // 4. Local aliases follow the room, and so do the canonical alias naming them and the
        // listing in the published room directory.
        Set<String> moved = Set.copyOf(directory.moveAliases(roomId, newRoomId));
        state(state, "m.room.canonical_alias").ifPresent(
                canonical -> moveCanonicalAlias(roomId, newRoomId, userId, canonical.content(), moved));
        directory.moveListing(roomId, newRoomId);
        copyUserSettings(roomId, newRoomId, userId);

        // 5. The tombstone.
        ObjectNode tombstone = JsonNodeFactory.instance.objectNode();
        tombstone.put("body", "This room has been replaced");
        tombstone.put("replacement_room", newRoomId);
        sender.send(EventDraft.state(roomId, userId, "m.room.tombstone", "", tombstone));

        // 6. No more events or invites in the old room, where the user may change power levels.
        powerLevels.flatMap(pl -> UpgradePowerLevels.restrictedOldRoom(pl.content())).ifPresent(restricted -> {
            try {
                sender.send(EventDraft.state(roomId, userId, "m.room.power_levels", "", restricted));
            } catch (RoomServerException e) {
                LOG.info("cannot restrict the power levels of upgraded room {}: {}", roomId, e.getMessage());
            }
        });
        return newRoomId;
    }

    /**
     * The moved aliases leave the old room's {@code m.room.canonical_alias} and become the new
     * room's: an alias must point to the room whose canonical alias names it. Aliases of other
     * servers still point to the old room and stay there.
     */
    private void moveCanonicalAlias(String oldRoomId, String newRoomId, String userId, ObjectNode oldContent,
            Set<String> moved) {
        if (moved.isEmpty()) {
            return;
        }
        ObjectNode kept = oldContent.deepCopy();
        ObjectNode carried = JsonNodeFactory.instance.objectNode();
        JsonNode alias = oldContent.get("alias");
        if (alias != null && alias.isTextual() && moved.contains(alias.textValue())) {
            kept.remove("alias");
            carried.put("alias", alias.textValue());
        }
        JsonNode alternatives = oldContent.get("alt_aliases");
        if (alternatives != null && alternatives.isArray()) {
            ArrayNode keptAlternatives = kept.putArray("alt_aliases");
            ArrayNode carriedAlternatives = JsonNodeFactory.instance.arrayNode();
            for (JsonNode alternative : alternatives) {
                boolean moves = alternative.isTextual() && moved.contains(alternative.textValue());
                (moves ? carriedAlternatives : keptAlternatives).add(alternative);
            }
            if (keptAlternatives.isEmpty()) {
                kept.remove("alt_aliases");
            }
            if (!carriedAlternatives.isEmpty()) {
                carried.set("alt_aliases", carriedAlternatives);
            }
        }
        if (carried.isEmpty()) {
            return;
        }
        sendBestEffort(EventDraft.state(newRoomId, userId, "m.room.canonical_alias", "", carried));
        sendBestEffort(EventDraft.state(oldRoomId, userId, "m.room.canonical_alias", "", kept));
    }

    /**
     * The tags and push rules of this server's users who are or were in the old room (those of
     * other servers are their servers' to copy). Best effort: one user's failure does not stop the
     * upgrade or the others.
     */
    private void copyUserSettings(String oldRoomId, String newRoomId, String upgrader) {
        String localServer = upgrader.substring(upgrader.indexOf(':') + 1);
        for (Membership member : queries.members(oldRoomId)) {
            String user = member.userId();
            if (!user.substring(user.indexOf(':') + 1).equals(localServer)) {
                continue;
            }
            try {
                userSettings.copy(user, oldRoomId, newRoomId);
            } catch (RuntimeException e) {
                LOG.info("cannot copy the tags and push rules of {} to upgraded room {}: {}", user, newRoomId,
                        e.getMessage());
            }
        }
    }

    private void sendBestEffort(EventDraft draft) {
        try {
            sender.send(draft);
        } catch (RoomServerException e) {
            LOG.info("cannot update {} of upgraded room {}: {}", draft.type(), draft.roomId(), e.getMessage());
        }
    }

    private ObjectNode creationContent(String oldRoomId, Pdu oldCreate, RoomVersion version, List<String> creators) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        ObjectNode predecessor = content.putObject("predecessor");
        predecessor.put("room_id", oldRoomId);
        if (!version.roomIdFromCreateEvent()) {
            // Version 12 may leave it out; earlier versions name the old room's last known event.
            queries.timeline(oldRoomId, null, TimelineDirection.BACKWARDS, 1).events().stream().findFirst()
                    .ifPresent(last -> predecessor.put("event_id", last.eventId()));
        }
        if (oldCreate.contentField("type") != null && oldCreate.contentField("type").isTextual()) {
            content.put("type", oldCreate.contentField("type").textValue());
        }
        if (!creators.isEmpty()) {
            ArrayNode array = content.putArray("additional_creators");
            creators.forEach(array::add);
        }
        return content;
    }

    /** The old room's transferable state events, with the defaults of those it lacks that the preset would change. */
    private static List<InitialStateEvent> transferredState(Map<StateKey, RoomEvent> state, Optional<Pdu> powerLevels) {
        List<InitialStateEvent> events = new ArrayList<>();
        for (String type : TRANSFERRED_TYPES) {
            state(state, type).ifPresent(pdu -> events.add(new InitialStateEvent(type, "", pdu.content())));
        }
        if (state(state, "m.room.guest_access").isEmpty()) {
            // Without the event guests are forbidden; the preset would let them join.
            events.add(new InitialStateEvent("m.room.guest_access", "",
                    JsonNodeFactory.instance.objectNode().put("guest_access", "forbidden")));
        }
        if (state(state, "m.room.join_rules").isEmpty()) {
            events.add(new InitialStateEvent("m.room.join_rules", "",
                    JsonNodeFactory.instance.objectNode().put("join_rule", "invite")));
        }
        return events;
    }

    /** The level the upgrader needs to send every transferred event under the copied power levels. */
    private static long neededLevel(Optional<Pdu> powerLevels, List<InitialStateEvent> transferred) {
        long needed = UpgradePowerLevels.stateLevel(powerLevels, "m.room.power_levels");
        for (InitialStateEvent event : transferred) {
            needed = Math.max(needed, UpgradePowerLevels.stateLevel(powerLevels, event.type()));
        }
        return needed;
    }

    /**
     * Below v12 the upgrader may have been raised to send the transferred state; its level in the
     * new room then goes back to what it was in the old one.
     */
    private void restoreUpgraderLevel(String newRoomId, String userId, RoomVersion version,
            Optional<Pdu> oldPowerLevels, ObjectNode started) {
        if (started == null || version.authRules().roomCreators() || oldPowerLevels.isEmpty()) {
            return;
        }
        ObjectNode oldContent = oldPowerLevels.get().content();
        long raised = started.path("users").path(userId).asLong();
        boolean listed = oldContent.path("users").has(userId);
        long original = listed ? oldContent.path("users").path(userId).asLong()
                : oldContent.path("users_default").asLong(0);
        if (raised == original) {
            return;
        }
        ObjectNode restored = started.deepCopy();
        if (listed) {
            restored.with("users").put(userId, original);
        } else {
            restored.with("users").remove(userId);
        }
        try {
            sender.send(EventDraft.state(newRoomId, userId, "m.room.power_levels", "", restored));
        } catch (RoomServerException e) {
            LOG.info("cannot restore the level of {} in {}: {}", userId, newRoomId, e.getMessage());
        }
    }

    private static Optional<Pdu> state(Map<StateKey, RoomEvent> state, String type) {
        return Optional.ofNullable(state.get(StateKey.of(type, ""))).map(RoomEvent::pdu);
    }
}
