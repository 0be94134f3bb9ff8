package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.Account;
import dev.hyphae.store.Device;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

/**
 * A room server on a real SQLite store in a temporary directory, with a fixed node identity. Users
 * {@link #alice}, {@link #bob} and {@link #carol} are local users of the node.
 */
final class RoomServerFixture implements AutoCloseable {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final Store store;
    final NodeIdentity identity;
    final RoomEventNotifier notifier = new RoomEventNotifier();
    final AuthorizationRules authorizer = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
    final RoomEventSender sender;
    final RoomCreator creator;
    final RoomMemberships memberships;
    final RoomQueries queries;
    final String alice;
    final String bob;
    final String carol;

    RoomServerFixture(Path directory) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        identity = NodeIdentity.fromSeed(seed);
        store = SqliteStore.openInDirectory(directory);
        SecureRandom random = new SecureRandom();
        EventSigner signer = new EventSigner(identity.serverName(), identity.signingKey(), random);
        sender = new RoomEventSender(store, authorizer, signer, notifier, Clock.systemUTC());
        creator = new RoomCreator(sender, random);
        memberships = new RoomMemberships(sender, store);
        queries = new RoomQueries(store, authorizer);
        alice = user("alice");
        bob = user("bob");
        carol = user("carol");
    }

    String user(String localpart) {
        return "@" + localpart + ":" + identity.serverName();
    }

    String createRoom(String version, RoomPreset preset) {
        return creator.createRoom(new CreateRoomRequest(alice, version, preset, null, null, null, null, null, false,
                null, null, null));
    }

    /** Registers an account and device, as a client's transaction IDs belong to a stored device. */
    void registerDevice(String userId, String deviceId) {
        store.write(tx -> {
            tx.accounts().create(new Account(userId, null, 0, false, false));
            return tx.devices().insert(new Device(userId, deviceId, null, null, null));
        }).join();
    }

    SentEvent message(String roomId, String sender, String body) {
        return this.sender.send(EventDraft.message(roomId, sender, "m.room.message", text(body)));
    }

    static ObjectNode text(String body) {
        ObjectNode content = JSON.objectNode();
        content.put("msgtype", "m.text");
        content.put("body", body);
        return content;
    }

    /** A content value of the room's current state event, or "" when absent. */
    String stateValue(String roomId, String type, String stateKey, String field) {
        return queries.currentState(roomId).entrySet().stream()
                .filter(e -> e.getKey().equals(StateKey.of(type, stateKey)))
                .map(e -> e.getValue().pdu().contentField(field).asText())
                .findFirst().orElse("");
    }

    long eventCount() {
        return store.read(tx -> tx.events().maxStreamOrdering());
    }

    @Override
    public void close() {
        store.close();
    }
}
