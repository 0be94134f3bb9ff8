package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of {@code POST /createRoom} (with the requesting user), checked for shape. Absent
 * optional values are {@code null} (strings) or empty (lists, objects).
 *
 * @param roomVersion               the requested version, or {@code null} for the default (12)
 * @param preset                    the preset, or {@code null} to take it from {@code visibility}
 * @param visibility                {@code public} or {@code private} ({@code null}: private)
 * @param creationContent           extra keys for the create event's content
 * @param powerLevelContentOverride keys replacing those of the default power levels content
 */
public record CreateRoomRequest(
        String creator,
        String roomVersion,
        RoomPreset preset,
        String visibility,
        String roomAliasName,
        String name,
        String topic,
        List<String> invite,
        boolean isDirect,
        ObjectNode creationContent,
        List<InitialStateEvent> initialState,
        ObjectNode powerLevelContentOverride) {

    public CreateRoomRequest {
        Objects.requireNonNull(creator, "creator");
        invite = invite == null ? List.of() : List.copyOf(invite);
        initialState = initialState == null ? List.of() : List.copyOf(initialState);
        creationContent = creationContent == null ? JsonNodeFactory.instance.objectNode() : creationContent.deepCopy();
        powerLevelContentOverride = powerLevelContentOverride == null ? null : powerLevelContentOverride.deepCopy();
        if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
            throw RoomServerException.badRequest("visibility must be public or private");
        }
    }

    /** A request with every option at its default. */
    public static CreateRoomRequest defaults(String creator) {
        return new CreateRoomRequest(creator, null, null, null, null, null, null, List.of(), false, null, List.of(),
                null);
    }

    /**
     * Reads the JSON body of {@code /createRoom}.
     *
     * @throws RoomServerException BAD_REQUEST naming the first property of the wrong shape
     */
    public static CreateRoomRequest fromJson(String creator, ObjectNode body) {
        Objects.requireNonNull(body, "body");
        String presetName = text(body, "preset");
        RoomPreset preset = presetName == null ? null : RoomPreset.fromWireName(presetName)
                .orElseThrow(() -> RoomServerException.badRequest("unknown preset: " + presetName));
        List<String> invite = new ArrayList<>();
        for (JsonNode user : array(body, "invite")) {
            if (!user.isTextual()) {
                throw RoomServerException.badRequest("invite must list user IDs");
            }
            invite.add(user.textValue());
        }
        List<InitialStateEvent> initialState = new ArrayList<>();
        for (JsonNode entry : array(body, "initial_state")) {
            if (!entry.isObject() || !entry.path("type").isTextual() || !entry.path("content").isObject()
                    || (entry.has("state_key") && !entry.get("state_key").isTextual())) {
                throw RoomServerException.badRequest("initial_state entries need a type, a content object and"
                        + " a string state_key if any");
            }
            initialState.add(new InitialStateEvent(entry.get("type").textValue(),
                    entry.has("state_key") ? entry.get("state_key").textValue() : "", (ObjectNode) entry.get("content")));
        }
        JsonNode isDirect = body.path("is_direct");
        if (!isDirect.isMissingNode() && !isDirect.isBoolean()) {
            throw RoomServerException.badRequest("is_direct must be a boolean");
        }
        return new CreateRoomRequest(creator, text(body, "room_version"), preset, text(body, "visibility"),
                text(body, "room_alias_name"), text(body, "name"), text(body, "topic"), invite,
                isDirect.asBoolean(false), object(body, "creation_content").orElse(null), initialState,
                object(body, "power_level_content_override").orElse(null));
    }

    /** The preset to apply: the requested one, else {@code public_chat} for public visibility, else private. */
    public RoomPreset effectivePreset() {
        if (preset != null) {
            return preset;
        }
        return "public".equals(visibility) ? RoomPreset.PUBLIC_CHAT : RoomPreset.PRIVATE_CHAT;
    }

    @Override
    public ObjectNode creationContent() {
        return creationContent.deepCopy();
    }

    @Override
    public ObjectNode powerLevelContentOverride() {
        return powerLevelContentOverride == null ? null : powerLevelContentOverride.deepCopy();
    }

    private static String text(ObjectNode body, String key) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RoomServerException.badRequest(key + " must be a string");
        }
        return value.textValue();
    }

    private static Iterable<JsonNode> array(ObjectNode body, String key) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw RoomServerException.badRequest(key + " must be an array");
        }
        return value;
    }

    private static Optional<ObjectNode> object(ObjectNode body, String key) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw RoomServerException.badRequest(key + " must be an object");
        }
        return Optional.of((ObjectNode) value);
    }
}
