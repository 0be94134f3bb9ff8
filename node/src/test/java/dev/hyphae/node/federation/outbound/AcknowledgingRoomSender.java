package dev.hyphae.node.federation.outbound;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.EventDraft;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomPreset;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

/**
 * A child process for {@link FederationQueueCrashIT}: sends messages into a room with a member on
 * {@value #REMOTE} through a federating room server whose deliveries never start, printing
 * {@code ACK <body>} once each send returned, until it is killed.
 */
public final class AcknowledgingRoomSender {
    static final String REMOTE = "remote.onion";

    private AcknowledgingRoomSender() {
    }

    public static void main(String[] args) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 11);
        NodeIdentity identity = NodeIdentity.fromSeed(seed);
        String local = identity.serverName();
        String alice = "@alice:" + local;
        Store store = SqliteStore.openInDirectory(Path.of(args[0]));
        SecureRandom random = new SecureRandom();
        RoomEventSender sender = new RoomEventSender(store, new AuthorizationRules(HomeserverSignatures.verifiedBefore()),
                new EventSigner(local, identity.signingKey(), random), new RoomEventNotifier(),
                new RoomEventFanout(local, Clock.systemUTC(), destination -> { }), Clock.systemUTC());
        String roomId = new RoomCreator(sender, random).createRoom(new CreateRoomRequest(alice, null,
                RoomPreset.PUBLIC_CHAT, null, null, null, null, null, false, null, null, null));
        String first = send(sender, roomId, alice, "first");
        store.write(tx -> {
            tx.memberships().set(new Membership(roomId, "@bob:" + REMOTE, "join", first));
            return null;
        }).join();
        for (int i = 0; ; i++) {
            send(sender, roomId, alice, "m" + i);
            System.out.println("ACK m" + i);
            System.out.flush();
        }
    }

    private static String send(RoomEventSender sender, String roomId, String alice, String body) {
        return sender.send(EventDraft.message(roomId, alice, "m.room.message",
                JsonNodeFactory.instance.objectNode().put("msgtype", "m.text").put("body", body))).eventId();
    }
}
