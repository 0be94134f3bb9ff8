package dev.hyphae.node.roomserver;

import dev.hyphae.node.event.Pdu;
import java.util.List;

/**
 * The membership operations that need other servers: joining, knocking on or leaving a room this
 * node does not take part in, and inviting a user of another server (whose server must sign the invite before it
 * is stored). {@link #NONE} serves a node without federation: such rooms stay unknown.
 */
public interface FederatedMembership {
    /**
     * Joins {@code userId} to a room this node is not in through one of {@code servers} (tried in
     * order) and stores the room's state; the room then behaves like any local room.
     *
     * @throws RoomServerException NOT_FOUND when no server could be asked, FORBIDDEN when they refused
     */
    SentEvent join(String roomId, String userId, List<String> servers, String reason);

    /**
     * Leaves a room this node is not in (rejects an invite, withdraws a knock) through the servers
     * that are.
     */
    SentEvent leave(String roomId, String userId, String reason);

    /**
     * Knocks {@code userId} on a room this node is not in, through one of {@code servers} (tried in
     * order): {@code make_knock}, then {@code send_knock}; the knock is kept with the room's stripped
     * state that the resident server answered, for the user's /sync.
     *
     * @throws RoomServerException NOT_FOUND when no server could be asked, FORBIDDEN when they refused
     */
    default SentEvent knock(String roomId, String userId, List<String> servers, String reason) {
        throw RoomServerException.notFound("unknown room " + roomId);
    }

    /**
     * Has the invitee's server sign {@code invite} (an {@code m.room.member} invite of a user of
     * another server), given the room's current state for the invite's stripped state; returns the
     * event with that server's signature added.
     *
     * @throws RoomServerException FORBIDDEN when the invitee's server refused or could not be reached
     */
    Pdu invite(Pdu invite, List<Pdu> roomState);

    /** For a node that does not federate. */
    FederatedMembership NONE = new FederatedMembership() {
        @Override
        public SentEvent join(String roomId, String userId, List<String> servers, String reason) {
            throw RoomServerException.notFound("unknown room " + roomId);
        }

        @Override
        public SentEvent leave(String roomId, String userId, String reason) {
            throw RoomServerException.notFound("unknown room " + roomId);
        }

        @Override
        public Pdu invite(Pdu invite, List<Pdu> roomState) {
            throw RoomServerException.forbidden("this server does not federate: cannot invite "
                    + invite.stateKey().orElse(""));
        }
    };
}
