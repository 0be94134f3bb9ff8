package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Local authorisation of joins to restricted rooms (rooms v8+, "Restricted rooms" in the
 * client-server API): when the joining user is a member of a room in the join rule's
 * {@code allow} list, a local member who may invite vouches for the join through
 * {@code join_authorised_via_users_server}.
 */
final class RestrictedJoin {
    private RestrictedJoin() {
    }

    /**
     * A joined local user of the room with at least the invite level, when {@code userId} is joined
     * to one of the allow list's rooms.
     *
     * @throws RoomServerException FORBIDDEN when the user meets no allow condition, or no local
     *                             member can authorise the join
     */
    static Optional<String> authorisingUser(RoomHead head, String userId, Store store, String serverName) {
        Pdu joinRules = head.stateEvent("m.room.join_rules", "").orElseThrow();
        List<String> allowRooms = new ArrayList<>();
        for (JsonNode entry : joinRules.contentField("allow")) {
            if ("m.room_membership".equals(entry.path("type").asText()) && entry.path("room_id").isTextual()) {
                allowRooms.add(entry.get("room_id").textValue());
            }
        }
        boolean allowed = store.read(tx -> {
            for (String room : allowRooms) {
                Optional<Membership> membership = tx.memberships().get(room, userId);
                if (membership.isPresent() && membership.get().membership().equals("join")) {
                    return true;
                }
            }
            return false;
        });
        if (!allowed) {
            throw RoomServerException.forbidden(userId + " is not joined to any room the join rule allows");
        }
        List<Membership> members = store.read(tx -> tx.memberships().inRoom(head.roomId()));
        Optional<Pdu> powerLevels = head.stateEvent("m.room.power_levels", "");
        Pdu create = head.stateEvent("m.room.create", "").orElseThrow();
        long inviteLevel = powerLevels.map(pl -> pl.contentField("invite").asLong(0)).orElse(0L);
        for (Membership member : members) {
            if (member.membership().equals("join") && member.userId().endsWith(":" + serverName)
                    && level(member.userId(), powerLevels, create) >= inviteLevel) {
                return Optional.of(member.userId());
            }
        }
        throw RoomServerException.forbidden("no local member of " + head.roomId() + " can authorise the join");
    }

    /** A user's power level as the auth rules read it (v12 creators above every level). */
    private static long level(String userId, Optional<Pdu> powerLevels, Pdu create) {
        if (create.roomVersion().authRules().roomCreators()) {
            if (create.sender().equals(userId)) {
                return Long.MAX_VALUE;
            }
            for (JsonNode creator : create.contentField("additional_creators")) {
                if (userId.equals(creator.asText())) {
                    return Long.MAX_VALUE;
                }
            }
        }
        if (powerLevels.isEmpty()) {
            return create.sender().equals(userId) ? 100 : 0;
        }
        JsonNode level = powerLevels.get().contentField("users").get(userId);
        return level != null ? level.asLong() : powerLevels.get().contentField("users_default").asLong(0);
    }
}
