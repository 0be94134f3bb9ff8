package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.AuthRules;
import dev.hyphae.node.room.RoomVersions;

/** The rule "If type is m.room.create" (v1–v12). */
final class CreateRules {

    private CreateRules() {
    }

    static AuthDecision check(Pdu event, ObjectNode content) {
        AuthRules rules = event.roomVersion().authRules();
        // "If it has any prev_events, reject."
        if (!event.prevEventIds().isEmpty()) {
            return AuthDecision.reject("create event has prev_events");
        }
        if (rules.roomCreators()) {
            // v12: "If the event has a room_id, reject." (Pdu.roomId() derives one for a v12 create
            // event, so the presence is read from the JSON itself; create events are rare.)
            if (event.json().has("room_id")) {
                return AuthDecision.reject("create event has a room_id");
            }
        } else {
            // v1–v11: "If the domain of the room_id does not match the domain of the sender, reject."
            String roomId = AuthorizationRules.roomIdOf(event);
            if (roomId.isEmpty() || !MatrixIds.domain(roomId).equals(MatrixIds.domain(event.sender()))) {
                return AuthDecision.reject("room_id domain does not match sender domain");
            }
        }
        // "If content.room_version is present and is not a recognised version, reject."
        JsonNode roomVersion = content.get("room_version");
        if (roomVersion != null && !(roomVersion.isTextual() && RoomVersions.find(roomVersion.textValue()).isPresent())) {
            return AuthDecision.reject("unrecognised room_version " + roomVersion);
        }
        // v1–v10: "If content has no creator property, reject."
        if (!rules.creatorIsSender() && !content.has("creator")) {
            return AuthDecision.reject("create event has no creator");
        }
        // v12: "If additional_creators is present in content and is not an array of strings where each
        // string passes the same user ID validation applied to sender, reject."
        if (rules.roomCreators() && content.has("additional_creators")) {
            JsonNode creators = content.get("additional_creators");
            if (!creators.isArray()) {
                return AuthDecision.reject("additional_creators is not an array");
            }
            for (JsonNode creator : creators) {
                if (!creator.isTextual() || !MatrixIds.isUserId(creator.textValue())) {
                    return AuthDecision.reject("additional_creators entry " + creator + " is not a user ID");
                }
            }
        }
        // "Otherwise, allow."
        return AuthDecision.allow();
    }
}
