package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.store.StoredEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomEventSenderTest {
    @TempDir
    Path directory;
    RoomServerFixture server;

    @BeforeEach
    void open() {
        server = new RoomServerFixture(directory);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private Pdu event(String eventId) {
        return server.queries.event(eventId).orElseThrow().pdu();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "11", "12"})
    void sendsGetIncreasingStreamOrderingsAndPointAtThePreviousEvent(String version) {
        String roomId = server.createRoom(version, RoomPreset.PRIVATE_CHAT);
        String previous = server.store.read(tx -> tx.forwardExtremities().get(roomId)).iterator().next();
        long lastOrdering = server.eventCount();
        for (int i = 0; i < 5; i++) {
            SentEvent sent = server.message(roomId, server.alice, "hello " + i);
            assertTrue(sent.streamOrdering() > lastOrdering);
            Pdu pdu = event(sent.eventId());
            assertEquals(List.of(previous), pdu.prevEventIds());
            assertEquals(event(previous).depth() + 1, pdu.depth());
            assertEquals(Set.of(sent.eventId()), server.store.read(tx -> tx.forwardExtremities().get(roomId)));
            lastOrdering = sent.streamOrdering();
            previous = sent.eventId();
        }
    }

    @Test
    void authEventsAreTheSelectedCurrentStateAndOmitTheCreateEventInVersion12() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        Pdu message = event(server.message(roomId, server.alice, "hi").eventId());
        String powerLevels = server.queries.stateEvent(roomId, "m.room.power_levels", "").orElseThrow().eventId();
        String member = server.queries.stateEvent(roomId, "m.room.member", server.alice).orElseThrow().eventId();
        assertEquals(Set.of(powerLevels, member), new HashSet<>(message.authEventIds()));
    }

    @Test
    void authEventsIncludeTheCreateEventBeforeVersion12() {
        String roomId = server.createRoom("11", RoomPreset.PRIVATE_CHAT);
        Pdu message = event(server.message(roomId, server.alice, "hi").eventId());
        String create = server.queries.stateEvent(roomId, "m.room.create", "").orElseThrow().eventId();
        assertTrue(message.authEventIds().contains(create));
        assertEquals(3, message.authEventIds().size());
    }

    @Test
    void aUserWhoIsNotJoinedCannotSendAndNothingIsStored() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        long before = server.eventCount();
        List<String> notified = Collections.synchronizedList(new ArrayList<>());
        server.notifier.addListener((room, eventId, ordering) -> notified.add(eventId));

        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> server.message(roomId, server.bob, "let me in"));

        assertEquals(RoomServerException.Kind.FORBIDDEN, refused.kind());
        assertEquals("sender is not joined to the room", refused.getMessage());
        assertEquals(before, server.eventCount());
        assertEquals(List.of(), notified);
    }

    @Test
    void anEventOverTheSizeLimitIsTooLargeAndNotStored() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        long before = server.eventCount();
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> server.message(roomId, server.alice, "x".repeat(70_000)));
        assertEquals(RoomServerException.Kind.TOO_LARGE, refused.kind());
        assertEquals(before, server.eventCount());
    }

    @Test
    void nonCanonicalContentIsABadRequest() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        ObjectNode content = RoomServerFixture.text("float").put("value", 1.5);
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> server.sender.send(EventDraft.message(roomId, server.alice, "m.room.message", content)));
        assertEquals(RoomServerException.Kind.BAD_REQUEST, refused.kind());
    }

    @Test
    void sendingToAnUnknownRoomIsNotFound() {
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> server.message("!nowhere:" + server.identity.serverName(), server.alice, "hi"));
        assertEquals(RoomServerException.Kind.NOT_FOUND, refused.kind());
    }

    @Test
    void stateEventsChangeTheCurrentState() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        ObjectNode name = RoomServerFixture.JSON.objectNode().put("name", "Renamed");
        SentEvent sent = server.sender.send(EventDraft.state(roomId, server.alice, "m.room.name", "", name));
        assertEquals(sent.eventId(), server.queries.stateEvent(roomId, "m.room.name", "").orElseThrow().eventId());
        assertEquals("Renamed", server.stateValue(roomId, "m.room.name", "", "name"));
    }

    @Test
    void stateEventsBelowTheSendersPowerLevelAreRefused() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        server.memberships.join(roomId, server.bob, null);
        ObjectNode name = RoomServerFixture.JSON.objectNode().put("name", "Bob's room");
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> server.sender.send(EventDraft.state(roomId, server.bob, "m.room.name", "", name)));
        assertEquals(RoomServerException.Kind.FORBIDDEN, refused.kind());
        assertTrue(refused.getMessage().contains("power level"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "11", "12"})
    void redactionsNameTheRedactedEventWhereTheRoomVersionWantsIt(String version) {
        String roomId = server.createRoom(version, RoomPreset.PRIVATE_CHAT);
        String target = server.message(roomId, server.alice, "oops").eventId();
        ObjectNode content = RoomServerFixture.JSON.objectNode().put("redacts", target).put("reason", "typo");
        Pdu redaction = event(server.sender.send(EventDraft.message(roomId, server.alice, "m.room.redaction", content))
                .eventId());
        assertEquals(target, redaction.redacts().orElseThrow());
        boolean inContent = !version.equals("10");
        assertEquals(inContent, redaction.contentField("redacts").isTextual());
        assertEquals(!inContent, redaction.field("redacts").isTextual());
    }

    @Test
    void aRetransmittedTransactionReturnsTheFirstEventId() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        server.registerDevice(server.alice, "DEVICE");
        server.registerDevice(server.alice, "OTHER");
        ClientTxn txn = new ClientTxn("DEVICE", "/rooms/" + roomId + "/send/m.room.message/t1");
        SentEvent first = server.sender.send(EventDraft.message(roomId, server.alice, "m.room.message",
                RoomServerFixture.text("once")), txn);
        long after = server.eventCount();
        SentEvent again = server.sender.send(EventDraft.message(roomId, server.alice, "m.room.message",
                RoomServerFixture.text("once")), txn);

        assertFalse(first.repeated());
        assertTrue(again.repeated());
        assertEquals(first.eventId(), again.eventId());
        assertEquals(first.streamOrdering(), again.streamOrdering());
        assertEquals(after, server.eventCount(), "no second event");

        SentEvent otherDevice = server.sender.send(EventDraft.message(roomId, server.alice, "m.room.message",
                RoomServerFixture.text("once")), new ClientTxn("OTHER", txn.requestPath()));
        assertNotEquals(first.eventId(), otherDevice.eventId());
    }

    @Test
    void concurrentRetransmissionsOfOneTransactionMakeOneEvent() throws Exception {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        server.registerDevice(server.alice, "DEVICE");
        ClientTxn txn = new ClientTxn("DEVICE", "/rooms/" + roomId + "/send/m.room.message/t2");
        long before = server.eventCount();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SentEvent>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return server.sender.send(EventDraft.message(roomId, server.alice, "m.room.message",
                            RoomServerFixture.text("same")), txn);
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<SentEvent> result : results) {
                ids.add(result.get(30, TimeUnit.SECONDS).eventId());
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, server.store.read(tx -> tx.events().roomEventsAfter(roomId, before, 100)).size());
    }

    @Test
    void twentyConcurrentSendersBuildALinearDagOfAcceptedEvents() throws Exception {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String user = server.user("user" + i);
            server.memberships.join(roomId, user, null);
            senders.add(user);
        }
        long start = server.eventCount();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<SentEvent>>> results = new ArrayList<>();
        try {
            for (String user : senders) {
                results.add(pool.submit(() -> {
                    go.await();
                    List<SentEvent> sent = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        sent.add(server.message(roomId, user, user + " " + i));
                    }
                    return sent;
                }));
            }
            go.countDown();
            Set<String> sentIds = new HashSet<>();
            for (Future<List<SentEvent>> result : results) {
                result.get(60, TimeUnit.SECONDS).forEach(sent -> sentIds.add(sent.eventId()));
            }
            assertEquals(100, sentIds.size());
        } finally {
            pool.shutdownNow();
        }

        List<StoredEvent> timeline = server.store.read(tx -> tx.events().roomEventsAfter(roomId, start, 1000));
        assertEquals(100, timeline.size());
        Set<String> extremities = server.store.read(tx -> tx.forwardExtremities().get(roomId));
        assertEquals(Set.of(timeline.get(timeline.size() - 1).eventId()), extremities);
        String previous = server.store.read(tx -> tx.events().roomEventsBefore(roomId, start + 1, 1)).get(0).eventId();
        long previousDepth = event(previous).depth();
        for (StoredEvent stored : timeline) {
            assertFalse(stored.isRejected());
            Pdu pdu = event(stored.eventId());
            assertEquals(List.of(previous), pdu.prevEventIds(), "each event follows the one stored before it");
            assertEquals(previousDepth + 1, pdu.depth());
            previous = pdu.eventId();
            previousDepth = pdu.depth();
        }
    }

    @Test
    void theNotifierFiresAfterTheEventIsCommitted() throws Exception {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<Long> orderings = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch heard = new CountDownLatch(3);
        server.notifier.addListener((room, eventId, ordering) -> {
            // A reader on another connection sees only committed data.
            Map<String, StoredEvent> seen = server.store.read(tx -> tx.events().getAll(List.of(eventId)));
            if (!room.equals(roomId) || !seen.containsKey(eventId) || seen.get(eventId).streamOrdering() != ordering) {
                problems.add("notified of " + eventId + " before a reader could see it");
            }
            orderings.add(ordering);
            heard.countDown();
        });
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(server.message(roomId, server.alice, "m" + i).streamOrdering());
        }
        assertTrue(heard.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(), problems);
        assertEquals(sent, orderings);
    }

    @Test
    void backwardsPaginationReachesTheCreateEvent() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        for (int i = 0; i < 23; i++) {
            server.message(roomId, server.alice, "m" + i);
        }
        List<RoomEvent> backwards = new ArrayList<>();
        String from = null;
        int pages = 0;
        do {
            TimelinePage page = server.queries.timeline(roomId, from, TimelineDirection.BACKWARDS, 7);
            backwards.addAll(page.events());
            from = page.end();
            pages++;
        } while (from != null && pages < 100);

        assertNull(from);
        assertEquals(29, backwards.size(), "6 creation events and 23 messages");
        assertEquals("m.room.create", backwards.get(backwards.size() - 1).pdu().type());
        for (int i = 1; i < backwards.size(); i++) {
            assertTrue(backwards.get(i).streamOrdering() < backwards.get(i - 1).streamOrdering());
        }

        List<RoomEvent> forwards = new ArrayList<>();
        from = null;
        do {
            TimelinePage page = server.queries.timeline(roomId, from, TimelineDirection.FORWARDS, 10);
            forwards.addAll(page.events());
            from = page.end();
        } while (from != null);
        Collections.reverse(forwards);
        assertEquals(backwards.stream().map(RoomEvent::eventId).toList(), forwards.stream().map(RoomEvent::eventId).toList());
    }

    @Test
    void aBadPaginationTokenIsABadRequest() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> server.queries.timeline(roomId, "x12", TimelineDirection.BACKWARDS, 10));
        assertEquals(RoomServerException.Kind.BAD_REQUEST, refused.kind());
    }

    @Test
    void differentRoomsAreNotSerialisedBehindOneAnother() throws Exception {
        String busy = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        String other = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<SentEvent> held = pool.submit(() -> server.sender.send(busy, head -> {
                inside.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return EventDraft.message(busy, server.alice, "m.room.message", RoomServerFixture.text("slow"));
            }, java.util.Optional.empty()));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            // The busy room's lock is held; a send to another room still completes.
            SentEvent sent = server.message(other, server.alice, "fast");
            assertEquals(other, sent.roomId());
            release.countDown();
            assertEquals(busy, held.get(10, TimeUnit.SECONDS).roomId());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
