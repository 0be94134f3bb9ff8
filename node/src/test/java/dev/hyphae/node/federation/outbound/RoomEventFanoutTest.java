package dev.hyphae.node.federation.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.EventDraft;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomMemberships;
import dev.hyphae.node.roomserver.RoomPreset;
import dev.hyphae.node.roomserver.SentEvent;
import dev.hyphae.store.Membership;
import dev.hyphae.store.QueuedItem;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomEventFanoutTest {
    private static final String REMOTE = "remote.onion";
    private static final String OTHER = "other.onion";

    @TempDir
    Path directory;

    private Store store;
    private String local;
    private String alice;
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private RoomEventSender sender;
    private RoomEventSender nonFederating;
    private RoomCreator creator;
    private RoomMemberships memberships;

    @BeforeEach
    void setUp() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 3);
        NodeIdentity identity = NodeIdentity.fromSeed(seed);
        local = identity.serverName();
        alice = "@alice:" + local;
        store = SqliteStore.openInDirectory(directory);
        SecureRandom random = new SecureRandom();
        EventSigner signer = new EventSigner(local, identity.signingKey(), random);
        AuthorizationRules rules = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
        RoomEventNotifier notifier = new RoomEventNotifier();
        sender = new RoomEventSender(store, rules, signer, notifier,
                new RoomEventFanout(local, Clock.systemUTC(), notices::add), Clock.systemUTC());
        nonFederating = new RoomEventSender(store, rules, signer, notifier, Clock.systemUTC());
        creator = new RoomCreator(sender, random);
        memberships = new RoomMemberships(sender, store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String createRoom() {
        return creator.createRoom(new CreateRoomRequest(alice, null, RoomPreset.PUBLIC_CHAT, null, null, null, null,
                null, false, null, null, null));
    }

    /** Stands in for a remote user's join, which arrives over federation. */
    private void remoteJoined(String roomId, String userId, String membershipEventId) {
        store.write(tx -> {
            tx.memberships().set(new Membership(roomId, userId, "join", membershipEventId));
            return null;
        }).join();
    }

    private SentEvent message(RoomEventSender through, String roomId, String body) {
        return through.send(EventDraft.message(roomId, alice, "m.room.message",
                JsonNodeFactory.instance.objectNode().put("msgtype", "m.text").put("body", body)));
    }

    private List<QueuedItem> queued(String destination) {
        return store.read(tx -> tx.federationQueue().pending(destination, 1000));
    }

    @Test
    void aRoomWithOnlyLocalMembersQueuesNothing() {
        String roomId = createRoom();
        message(sender, roomId, "hello");
        assertTrue(store.read(tx -> tx.federationQueue().destinationsWithPending()).isEmpty());
        assertTrue(notices.isEmpty());
    }

    @Test
    void localEventsAreQueuedInOrderForEveryServerWithAJoinedMember() {
        String roomId = createRoom();
        SentEvent first = message(sender, roomId, "before");
        remoteJoined(roomId, "@bob:" + REMOTE, first.eventId());
        SentEvent one = message(sender, roomId, "one");
        SentEvent two = message(sender, roomId, "two");

        List<QueuedItem> items = queued(REMOTE);
        assertEquals(2, items.size());
        assertEquals(QueuedItem.Kind.PDU, items.get(0).kind());
        assertEquals("one", CanonicalJson.parseObject(items.get(0).json()).path("content").path("body").asText());
        assertEquals("two", CanonicalJson.parseObject(items.get(1).json()).path("content").path("body").asText());
        String stored = store.read(tx -> tx.events().get(one.eventId()).orElseThrow().json());
        assertEquals(CanonicalJson.parseObject(stored), CanonicalJson.parseObject(items.get(0).json()));
        assertTrue(queued(local).isEmpty(), "never queued for this server");
        assertEquals(List.of(REMOTE, REMOTE), notices);
        assertTrue(two.streamOrdering() > one.streamOrdering());
    }

    @Test
    void membershipEventsAlsoGoToTheTargetsServer() {
        String roomId = createRoom();
        SentEvent first = message(sender, roomId, "before");
        remoteJoined(roomId, "@bob:" + REMOTE, first.eventId());
        memberships.invite(roomId, alice, "@carol:" + OTHER, null, false);
        assertEquals(1, queued(OTHER).size());
        assertEquals(1, queued(REMOTE).size());
        assertEquals("invite", CanonicalJson.parseObject(queued(OTHER).get(0).json())
                .path("content").path("membership").asText());

        // Banning the remote member: its server still hears of it, though no longer joined.
        memberships.ban(roomId, alice, "@bob:" + REMOTE, "bye");
        assertEquals(2, queued(REMOTE).size());
        message(sender, roomId, "after the ban");
        assertEquals(2, queued(REMOTE).size());
    }

    @Test
    void aSenderWithoutAnOutboxQueuesNothing() {
        String roomId = createRoom();
        SentEvent first = message(sender, roomId, "before");
        remoteJoined(roomId, "@bob:" + REMOTE, first.eventId());
        message(nonFederating, roomId, "local only");
        assertTrue(queued(REMOTE).isEmpty());
    }
}
