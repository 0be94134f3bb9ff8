package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authorisation of joins to restricted rooms by this server (rooms v8+, "Restricted rooms"): when
 * the joining user is a member of a room in the join rule's {@code allow} list, a local member who
 * may invite vouches for the join through {@code join_authorised_via_users_server}. Serves both the
 * local join and the resident side of {@code make_join} / {@code send_join}.
 */
public final class RestrictedJoin {
    private RestrictedJoin() {
    }

    /** Why this server cannot vouch for a join, with the error code the server-server API gives it. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String errcode;

        Refused(String errcode, String reason) {
            super(reason);
            this.errcode = errcode;
        }

        /** {@code M_FORBIDDEN}, {@code M_UNABLE_TO_AUTHORISE_JOIN} or {@code M_UNABLE_TO_GRANT_JOIN}. */
        public String errcode() {
            return errcode;
        }

        /** 403 for a user who meets no condition, 400 when another server should be asked. */
        public int status() {
            return errcode.equals("M_FORBIDDEN") ? 403 : 400;
        }
    }

    /** Whether {@code state}'s join rule is {@code restricted} or {@code knock_restricted}. */
    public static boolean isRestricted(Map<StateKey, Pdu> state) {
        Pdu joinRules = state.get(StateKey.of("m.room.join_rules", ""));
        String rule = joinRules == null ? "invite" : joinRules.contentField("join_rule").asText("invite");
        return rule.equals("restricted") || rule.equals("knock_restricted");
    }

    /**
     * A joined local user of the room with at least the invite level, when {@code userId} is joined
     * to one of the allow list's rooms.
     *
     * @throws Refused M_UNABLE_TO_AUTHORISE_JOIN when this server knows none of the allowed rooms,
     *                 M_FORBIDDEN when the user is joined to none of them, M_UNABLE_TO_GRANT_JOIN
     *                 when no local member may invite
     */
    public static String authoriser(String roomId, Map<StateKey, Pdu> state, String userId, Store store,
            String serverName) {
        requireAllowed(state, userId, store);
        Optional<Pdu> powerLevels = Optional.ofNullable(state.get(StateKey.of("m.room.power_levels", "")));
        Pdu create = Objects.requireNonNull(state.get(StateKey.of("m.room.create", "")), "create event");
        long inviteLevel = powerLevels.map(pl -> pl.contentField("invite").asLong(0)).orElse(0L);
        for (Membership member : store.read(tx -> tx.memberships().inRoom(roomId))) {
            if (member.membership().equals("join") && member.userId().endsWith(":" + serverName)
                    && level(member.userId(), powerLevels, create) >= inviteLevel) {
                return member.userId();
            }
        }
        throw new Refused("M_UNABLE_TO_GRANT_JOIN", "no member of " + roomId + " on " + serverName
                + " may invite: ask another server");
    }

    /**
     * Checks that {@code userId} meets one of the join rule's conditions: joined to a room of its
     * {@code allow} list, as this server sees that room.
     *
     * @throws Refused as {@link #authoriser} does for the first two cases
     */
    public static void requireAllowed(Map<StateKey, Pdu> state, String userId, Store store) {
        Pdu joinRules = state.get(StateKey.of("m.room.join_rules", ""));
        List<String> allowRooms = new ArrayList<>();
        if (joinRules != null) {
            for (JsonNode entry : joinRules.contentField("allow")) {
                if ("m.room_membership".equals(entry.path("type").asText()) && entry.path("room_id").isTextual()) {
                    allowRooms.add(entry.get("room_id").textValue());
                }
            }
        }
        String outcome = store.read(tx -> {
            boolean known = false;
            for (String room : allowRooms) {
                Optional<Membership> membership = tx.memberships().get(room, userId);
                if (membership.isPresent() && membership.get().membership().equals("join")) {
                    return "allowed";
                }
                known |= !tx.forwardExtremities().get(room).isEmpty();
            }
            return known ? "not a member" : "unknown rooms";
        });
        if (outcome.equals("unknown rooms")) {
            throw new Refused("M_UNABLE_TO_AUTHORISE_JOIN",
                    "this server is in none of the rooms the join rule allows: " + allowRooms);
        }
        if (outcome.equals("not a member")) {
            throw new Refused("M_FORBIDDEN", userId + " is not joined to any room the join rule allows");
        }
    }

    /** The local join: as {@link #authoriser}, with refusals as the room server reports them. */
    static Optional<String> authorisingUser(RoomHead head, String userId, Store store, String serverName) {
        try {
            Map<StateKey, Pdu> read = head.stateEvents(Set.of(StateKey.of("m.room.join_rules", ""),
                    StateKey.of("m.room.power_levels", ""), StateKey.of("m.room.create", "")));
            return Optional.of(authoriser(head.roomId(), read, userId, store, serverName));
        } catch (Refused e) {
            throw RoomServerException.forbidden(e.getMessage());
        }
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
