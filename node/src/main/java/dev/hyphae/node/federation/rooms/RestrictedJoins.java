package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.RestrictedJoin;
import dev.hyphae.store.Store;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The resident server's part in joins to restricted rooms ("Restricted rooms" in the server-server
 * API): {@code make_join} names a local member who may invite in
 * {@code join_authorised_via_users_server} when the joining user meets a condition of the join
 * rule, and {@code send_join} adds this server's signature to a join that names a local member,
 * "before sending or persisting the event to other servers".
 */
final class RestrictedJoins {
    static final String AUTHORISED_VIA = "join_authorised_via_users_server";

    private final RoomEvents events;
    private final Store store;
    private final EventSigner signer;

    RestrictedJoins(RoomEvents events, Store store, EventSigner signer) {
        this.events = Objects.requireNonNull(events, "events");
        this.store = Objects.requireNonNull(store, "store");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * Adds {@code join_authorised_via_users_server} to a join template's content when the room is
     * restricted and the user is neither joined nor invited (an invited user needs no authoriser).
     *
     * @throws MatrixException 403 M_FORBIDDEN, 400 M_UNABLE_TO_AUTHORISE_JOIN or 400 M_UNABLE_TO_GRANT_JOIN
     */
    void authorise(ObjectNode template, Map<StateKey, Pdu> current) {
        String userId = template.path("state_key").asText();
        if (!RestrictedJoin.isRestricted(current) || isJoinedOrInvited(current, userId)) {
            return;
        }
        String roomId = template.path("room_id").asText();
        try {
            String via = RestrictedJoin.authoriser(roomId, current, userId, store, signer.serverName());
            ((ObjectNode) template.path("content")).put(AUTHORISED_VIA, via);
        } catch (RestrictedJoin.Refused e) {
            throw new MatrixException(e.status(), e.errcode(), e.getMessage());
        }
    }

    /**
     * The join with this server's signature added when it names a member of this server in
     * {@code join_authorised_via_users_server}, after checking again that the user meets a
     * condition of the join rule; any other join comes back as it is.
     *
     * @throws MatrixException as {@link #authorise} does
     */
    Pdu countersign(Pdu join) {
        JsonNode via = join.contentField(AUTHORISED_VIA);
        if (via == null || !via.isTextual() || !signer.serverName().equals(RoomVisibility.serverOf(via.textValue()))) {
            return join;
        }
        Map<StateKey, Pdu> current = currentState(join);
        if (RestrictedJoin.isRestricted(current) && !isJoinedOrInvited(current, join.sender())) {
            try {
                RestrictedJoin.requireAllowed(current, join.sender(), store);
            } catch (RestrictedJoin.Refused e) {
                throw new MatrixException(e.status(), e.errcode(), e.getMessage());
            }
        }
        // Signatures are outside the event ID's hash: the ID stays the same.
        return new Pdu(join.eventId(), signer.sign(join.json().deepCopy(), join.roomVersion()), join.roomVersion());
    }

    /**
     * A copy of a template signed by this server when it names a member of this server as the
     * authoriser, for checking the template against the rules as the signed join will be; else the
     * template itself.
     */
    ObjectNode signedCopy(ObjectNode template, RoomVersion version) {
        JsonNode via = template.path("content").path(AUTHORISED_VIA);
        if (!via.isTextual() || !signer.serverName().equals(RoomVisibility.serverOf(via.textValue()))) {
            return template;
        }
        return signer.sign(template.deepCopy(), version);
    }

    /** The few current state events the conditions read. */
    private Map<StateKey, Pdu> currentState(Pdu join) {
        Set<StateKey> wanted = Set.of(StateKey.of("m.room.join_rules", ""), StateKey.of("m.room.power_levels", ""),
                StateKey.of("m.room.create", ""), StateKey.of("m.room.member", join.sender()));
        Map<StateKey, String> ids = new HashMap<>(events.currentState(join.roomId(), join.roomVersion()));
        ids.keySet().retainAll(wanted);
        return events.stateEvents(ids, join.roomVersion());
    }

    private static boolean isJoinedOrInvited(Map<StateKey, Pdu> current, String userId) {
        Pdu member = current.get(StateKey.of("m.room.member", userId));
        String membership = member == null ? "leave" : member.contentField("membership").asText("leave");
        return membership.equals("join") || membership.equals("invite");
    }
}
