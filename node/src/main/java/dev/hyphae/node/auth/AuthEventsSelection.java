package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.AuthRules;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** "Auth events selection" of the server-server API: which state an event's auth_events come from. */
final class AuthEventsSelection {
    static final StateKey CREATE = StateKey.of("m.room.create", "");
    static final StateKey POWER_LEVELS = StateKey.of("m.room.power_levels", "");
    static final StateKey JOIN_RULES = StateKey.of("m.room.join_rules", "");

    private AuthEventsSelection() {
    }

    static Set<StateKey> select(Pdu event, ObjectNode content) {
        // "The auth_events for the m.room.create event in a room is empty"
        if (event.isCreate()) {
            return Set.of();
        }
        AuthRules rules = event.roomVersion().authRules();
        Set<StateKey> keys = new LinkedHashSet<>();
        // "Depending on the room version, the m.room.create event." (v12: "MUST NOT be selected".)
        if (!rules.roomCreators()) {
            keys.add(CREATE);
        }
        // "The current m.room.power_levels event, if any."
        keys.add(POWER_LEVELS);
        // "The sender's current m.room.member event, if any."
        keys.add(StateKey.of("m.room.member", event.sender()));
        if ("m.room.member".equals(event.type()) && event.stateKey().isPresent()) {
            // "The target's current m.room.member event, if any."
            keys.add(StateKey.of("m.room.member", event.stateKey().get()));
            JsonNode membershipNode = content.get("membership");
            String membership = membershipNode != null && membershipNode.isTextual() ? membershipNode.textValue() : "";
            // "If membership is join, invite or knock, the current m.room.join_rules event, if any."
            if (membership.equals("join") || membership.equals("invite") || membership.equals("knock")) {
                keys.add(JOIN_RULES);
            }
            // "If membership is invite and content contains a third_party_invite property, the current
            // m.room.third_party_invite event with state_key matching
            // content.third_party_invite.signed.token, if any."
            JsonNode token = content.path("third_party_invite").path("signed").path("token");
            if (membership.equals("invite") && token.isTextual()) {
                keys.add(StateKey.of("m.room.third_party_invite", token.textValue()));
            }
            // "If membership is join, content.join_authorised_via_users_server is present, and the room
            // version supports restricted rooms, then the m.room.member event with state_key matching
            // content.join_authorised_via_users_server."
            JsonNode authorisedVia = content.get("join_authorised_via_users_server");
            if (membership.equals("join") && rules.restrictedJoinRule() && authorisedVia != null
                    && authorisedVia.isTextual()) {
                keys.add(StateKey.of("m.room.member", authorisedVia.textValue()));
            }
        }
        return Collections.unmodifiableSet(keys);
    }
}
