package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.roomserver.RoomEvent;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A published room as the directory lists it ("PublishedRoomsChunk"), read from its current state. */
record RoomSummary(String roomId, Optional<String> name, Optional<String> topic, Optional<String> canonicalAlias,
        long joinedMembers, boolean worldReadable, boolean guestCanJoin, Optional<String> joinRule,
        Optional<String> avatarUrl, Optional<String> roomType) {

    static RoomSummary of(String roomId, Map<StateKey, RoomEvent> state, long joinedMembers) {
        return new RoomSummary(roomId,
                text(state, "m.room.name", "name"),
                topic(state),
                text(state, "m.room.canonical_alias", "alias"),
                joinedMembers,
                text(state, "m.room.history_visibility", "history_visibility").map("world_readable"::equals)
                        .orElse(false),
                text(state, "m.room.guest_access", "guest_access").map("can_join"::equals).orElse(false),
                text(state, "m.room.join_rules", "join_rule"),
                text(state, "m.room.avatar", "url"),
                text(state, "m.room.create", "type"));
    }

    /** Whether the term is in the name, topic or canonical alias, ignoring case. */
    boolean matches(String term) {
        String wanted = term.toLowerCase(Locale.ROOT);
        return name.map(n -> n.toLowerCase(Locale.ROOT).contains(wanted)).orElse(false)
                || topic.map(t -> t.toLowerCase(Locale.ROOT).contains(wanted)).orElse(false)
                || canonicalAlias.map(a -> a.toLowerCase(Locale.ROOT).contains(wanted)).orElse(false);
    }

    ObjectNode toJson() {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        chunk.put("room_id", roomId);
        name.ifPresent(value -> chunk.put("name", value));
        topic.ifPresent(value -> chunk.put("topic", value));
        canonicalAlias.ifPresent(value -> chunk.put("canonical_alias", value));
        chunk.put("num_joined_members", joinedMembers);
        chunk.put("world_readable", worldReadable);
        chunk.put("guest_can_join", guestCanJoin);
        joinRule.ifPresent(value -> chunk.put("join_rule", value));
        avatarUrl.ifPresent(value -> chunk.put("avatar_url", value));
        roomType.ifPresent(value -> chunk.put("room_type", value));
        return chunk;
    }

    /** The plain text of {@code m.topic} when it has one, else the {@code topic} string. */
    private static Optional<String> topic(Map<StateKey, RoomEvent> state) {
        RoomEvent event = state.get(StateKey.of("m.room.topic", ""));
        if (event == null) {
            return Optional.empty();
        }
        for (JsonNode text : event.pdu().contentField("m.topic").path("m.text")) {
            String mimetype = text.path("mimetype").asText("text/plain");
            if (mimetype.equals("text/plain") && text.path("body").isTextual()) {
                return nonEmpty(text.path("body").textValue());
            }
        }
        JsonNode topic = event.pdu().contentField("topic");
        return topic.isTextual() ? nonEmpty(topic.textValue()) : Optional.empty();
    }

    private static Optional<String> text(Map<StateKey, RoomEvent> state, String type, String field) {
        RoomEvent event = state.get(StateKey.of(type, ""));
        if (event == null) {
            return Optional.empty();
        }
        JsonNode value = event.pdu().contentField(field);
        return value.isTextual() ? nonEmpty(value.textValue()) : Optional.empty();
    }

    private static Optional<String> nonEmpty(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
