package dev.hyphae.node.auth;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.AuthRules;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The rule "If type is m.room.power_levels" (v1–v12). Quoted texts are from the v12 rules. */
final class PowerLevelsRules {

    private PowerLevelsRules() {
    }

    static AuthDecision check(Pdu event, RoomAuthState room) {
        AuthRules rules = room.rules();
        PowerLevels proposed = room.parsed().powerLevels(event);
        // v10+: "If any of the properties users_default, events_default, state_default, ban, redact,
        // kick, or invite in content are present and not an integer, reject."
        // v10+: "If either of the properties events or notifications in content are present and not an
        // object with values that are integers, reject."
        // "If the users property in content is not an object with keys that are valid user IDs with
        // values that are integers, reject." (v1–v9: "integers (or a string that is an integer)".)
        if (proposed.problem().isPresent()) {
            return AuthDecision.reject("invalid power levels: " + proposed.problem().get());
        }
        // v12: "If the users property in content contains the sender of the m.room.create event or any
        // of the additional_creators array (if present) from the content of the m.room.create event,
        // reject."
        if (rules.roomCreators()) {
            for (String user : proposed.users().keySet()) {
                if (room.isRoomCreator(user)) {
                    return AuthDecision.reject("power levels users must not list room creator " + user);
                }
            }
        }
        // "If there is no previous m.room.power_levels event in the room, allow."
        if (!room.hasPowerLevelsEvent()) {
            return AuthDecision.allow();
        }
        PowerLevels current = room.powerLevels();
        String sender = event.sender();
        long senderLevel = room.userLevel(sender);

        // "For the properties users_default, events_default, state_default, ban, redact, kick, invite
        // check if they were added, changed or removed. For each found alteration: If the current value
        // is higher than the sender's current power level, reject. If the new value is higher than the
        // sender's current power level, reject."
        for (String key : PowerLevels.LEVEL_KEYS) {
            Long before = current.given(key);
            Long after = proposed.given(key);
            if (Objects.equals(before, after)) {
                continue;
            }
            if ((before != null && before > senderLevel) || (after != null && after > senderLevel)) {
                return AuthDecision.reject("sender may not change '" + key + "'");
            }
        }
        // "For each entry being changed in, or removed from, the events or notifications properties:
        // If the current value is greater than the sender's current power level, reject."
        // "For each entry being added to, or changed in, the events or notifications properties: If the
        // new value is greater than the sender's current power level, reject."
        // (notifications only from v6.)
        AuthDecision events = checkEntries("events", current.events(), proposed.events(), senderLevel);
        if (!events.allowed()) {
            return events;
        }
        if (rules.notificationsPowerLevels()) {
            AuthDecision notifications = checkEntries("notifications", current.notifications(),
                    proposed.notifications(), senderLevel);
            if (!notifications.allowed()) {
                return notifications;
            }
        }
        // "For each entry being changed in, or removed from, the users property, other than the sender's
        // own entry: If the current value is greater than or equal to the sender's current power level,
        // reject."
        for (Map.Entry<String, Long> entry : current.users().entrySet()) {
            String user = entry.getKey();
            Long after = proposed.users().get(user);
            if (!user.equals(sender) && !entry.getValue().equals(after) && entry.getValue() >= senderLevel) {
                return AuthDecision.reject("sender may not change the level of " + user);
            }
        }
        // "For each entry being added to, or changed in, the users property: If the new value is greater
        // than the sender's current power level, reject."
        for (Map.Entry<String, Long> entry : proposed.users().entrySet()) {
            Long before = current.users().get(entry.getKey());
            if (!entry.getValue().equals(before) && entry.getValue() > senderLevel) {
                return AuthDecision.reject("sender may not raise " + entry.getKey() + " above their own level");
            }
        }
        // "Otherwise, allow."
        return AuthDecision.allow();
    }

    private static AuthDecision checkEntries(String property, Map<String, Long> before, Map<String, Long> after,
            long senderLevel) {
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            Long old = before.get(key);
            Long now = after.get(key);
            if (Objects.equals(old, now)) {
                continue;
            }
            if (old != null && old > senderLevel) {
                return AuthDecision.reject("sender may not change '" + property + "' entry " + key);
            }
            if (now != null && now > senderLevel) {
                return AuthDecision.reject("sender may not set '" + property + "' entry " + key
                        + " above their own level");
            }
        }
        return AuthDecision.allow();
    }
}
