package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.e2ee.E2eeListener;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.e2ee.RemoteKeys;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.EventDraft;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomPreset;
import dev.hyphae.store.Account;
import dev.hyphae.store.Device;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One node for the federation side of end-to-end encryption: a store, its E2EE services with a
 * {@link DeviceListUpdates} publisher, and a room server to make rooms shared with remote users.
 */
final class FederatedE2eeFixture implements AutoCloseable {
    final Store store;
    final String server;
    final String alice;
    final EndToEndEncryption e2ee;
    final List<String> queuedNotices = new CopyOnWriteArrayList<>();
    private final RoomEventSender sender;
    private final RoomCreator creator;

    FederatedE2eeFixture(Path directory, byte seedByte) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, seedByte);
        NodeIdentity identity = NodeIdentity.fromSeed(seed);
        server = identity.serverName();
        alice = "@alice:" + server;
        store = SqliteStore.openInDirectory(directory);
        SecureRandom random = new SecureRandom();
        e2ee = new EndToEndEncryption(store, ServerName.parse(server), RemoteKeys.unavailable(), E2eeListener.NONE,
                new DeviceListUpdates(server, Clock.systemUTC(), queuedNotices::add), Clock.systemUTC());
        sender = new RoomEventSender(store, new AuthorizationRules(HomeserverSignatures.verifiedBefore()),
                new EventSigner(server, identity.signingKey(), random), new RoomEventNotifier(), Clock.systemUTC());
        creator = new RoomCreator(sender, random);
    }

    void registerDevice(String userId, String deviceId, String displayName) {
        store.write(tx -> {
            if (tx.accounts().get(userId).isEmpty()) {
                tx.accounts().create(new Account(userId, null, 0, false, false));
            }
            return tx.devices().insert(new Device(userId, deviceId, displayName, null, null));
        }).join();
    }

    /** A room of alice's that {@code remoteUser} has joined (standing in for a join over federation). */
    String roomSharedWith(String remoteUser) {
        String roomId = creator.createRoom(new CreateRoomRequest(alice, null, RoomPreset.PUBLIC_CHAT, null, null,
                null, null, null, false, null, null, null));
        String eventId = sender.send(EventDraft.message(roomId, alice, "m.room.message",
                JsonNodeFactory.instance.objectNode().put("msgtype", "m.text").put("body", "hi"))).eventId();
        store.write(tx -> {
            tx.memberships().set(new Membership(roomId, remoteUser, "join", eventId));
            return null;
        }).join();
        return roomId;
    }

    @Override
    public void close() {
        store.close();
    }
}
