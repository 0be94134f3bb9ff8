package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.AuthRules;
import java.util.Map;
import java.util.Optional;

/**
 * The room state one event is checked against, read the way the rules speak of it: the create
 * event, a user's "current membership state", the join rule, power levels and the room creators.
 * One instance per check; parsing is delegated to the shared {@link ParsedEvents} cache.
 */
final class RoomAuthState {
    static final String JOIN = "join";
    static final String INVITE = "invite";
    static final String LEAVE = "leave";
    static final String BAN = "ban";
    static final String KNOCK = "knock";

    private static final ObjectNode NO_CONTENT = JsonNodeFactory.instance.objectNode();

    private final Map<StateKey, Pdu> state;
    private final AuthRules rules;
    private final ParsedEvents parsed;
    private final Pdu create;
    private PowerLevels powerLevels;

    RoomAuthState(Map<StateKey, Pdu> state, AuthRules rules, ParsedEvents parsed) {
        this.state = state;
        this.rules = rules;
        this.parsed = parsed;
        this.create = state.get(StateKey.of("m.room.create", ""));
    }

    AuthRules rules() {
        return rules;
    }

    ParsedEvents parsed() {
        return parsed;
    }

    Optional<Pdu> create() {
        return Optional.ofNullable(create);
    }

    Optional<Pdu> event(String type, String stateKey) {
        return Optional.ofNullable(state.get(StateKey.of(type, stateKey)));
    }

    ObjectNode createContent() {
        return create == null ? NO_CONTENT : parsed.content(create);
    }

    /**
     * A user's current membership state: the {@code membership} of their {@code m.room.member}
     * event, or {@code leave} when they have none (never having been in the room counts as having
     * left: the rules only ever ask whether it is one of join, invite, ban, knock).
     */
    String membership(String userId) {
        Pdu member = state.get(StateKey.of("m.room.member", userId));
        if (member == null) {
            return LEAVE;
        }
        JsonNode membership = parsed.content(member).get("membership");
        return membership != null && membership.isTextual() ? membership.textValue() : LEAVE;
    }

    /**
     * The join rule of the room's {@code m.room.join_rules} event. With no such event, or one without
     * a {@code join_rule}, the rules do not say which join rule holds; this reads it as {@code
     * invite}, the rule of a room whose creator has not yet opened it (the reading other servers use,
     * so rooms resolve alike). A {@code join_rule} that is not a string gives "", which no rule allows.
     */
    String joinRule() {
        Pdu joinRules = state.get(StateKey.of("m.room.join_rules", ""));
        if (joinRules == null) {
            return INVITE;
        }
        JsonNode rule = parsed.content(joinRules).get("join_rule");
        if (rule == null) {
            return INVITE;
        }
        return rule.isTextual() ? rule.textValue() : "";
    }

    boolean hasPowerLevelsEvent() {
        return state.containsKey(StateKey.of("m.room.power_levels", ""));
    }

    /** The current power levels, or {@link PowerLevels#NONE} when the room has no power levels event. */
    PowerLevels powerLevels() {
        if (powerLevels == null) {
            Pdu event = state.get(StateKey.of("m.room.power_levels", ""));
            powerLevels = event == null ? PowerLevels.NONE : parsed.powerLevels(event);
        }
        return powerLevels;
    }

    /**
     * The room creator of v1–v11: the {@code creator} of the create event's content (v1–v10), or
     * the create event's {@code sender} (v11+). Empty without a create event.
     */
    String creator() {
        if (create == null) {
            return "";
        }
        if (rules.creatorIsSender()) {
            return create.sender();
        }
        JsonNode creator = createContent().get("creator");
        return creator != null && creator.isTextual() ? creator.textValue() : "";
    }

    /**
     * v12 room creators: "The user ID denoted by the sender of the m.room.create event in the room"
     * and "Any user IDs contained in the additional_creators array in content".
     */
    boolean isRoomCreator(String userId) {
        if (create == null || !rules.roomCreators()) {
            return false;
        }
        if (create.sender().equals(userId)) {
            return true;
        }
        JsonNode additional = createContent().get("additional_creators");
        if (additional != null && additional.isArray()) {
            for (JsonNode creator : additional) {
                if (creator.isTextual() && creator.textValue().equals(userId)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A user's current power level. v12: room creators are infinitely high. Otherwise the user's
     * entry in {@code users}, else {@code users_default}; with no power levels event, "the room's
     * creator has a power level of 100, and all other users have a power level of 0".
     */
    long userLevel(String userId) {
        if (rules.roomCreators()) {
            if (isRoomCreator(userId)) {
                return PowerLevels.INFINITE;
            }
        } else if (!hasPowerLevelsEvent() && !userId.isEmpty() && userId.equals(creator())) {
            return 100;
        }
        PowerLevels levels = powerLevels();
        Long entry = levels.users().get(userId);
        return entry != null ? entry : levels.usersDefault();
    }
}
