package dev.hyphae.node.federation.rooms;

import static dev.hyphae.node.federation.rooms.FederationRoomsTest.assertAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.RoomEvent;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks on receipt of a PDU, between two nodes that share a room (alice on A, bob on B). */
class IncomingPdusTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void shareARoom() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        alice = a.user("alice");
        bob = b.user("bob");
        // Bob may set the topic (50) but not the name (100), so both branches can change state.
        ObjectNode powerLevels = JSON.objectNode();
        powerLevels.putObject("users").put(bob, 50); // alice creates the room: in v12 her power is above all
        powerLevels.putObject("events").put("m.room.name", 100);
        roomId = a.creator.createRoom(new CreateRoomRequest(alice, null, null, null, null, null, null, List.of(),
                false, null, List.of(), powerLevels));
        a.memberships.invite(roomId, alice, bob, null, false);
        b.memberships.join(roomId, bob, null, List.of());
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    @Test
    void pduWithABadSignatureIsDroppedAndChangesNothing() {
        Map<StateKey, String> before = a.state(roomId);
        // Signed by a server that is not bob's.
        EventSigner impostor = new EventSigner(b.serverName, identity(9).signingKey(), new SecureRandom());
        Pdu forged = forge(impostor, bob, "m.room.topic", "", JSON.objectNode().put("topic", "forged"));

        JsonNode results = b.pushAs(b.serverName, a, "bad-signature", List.of(forged.json()));

        assertTrue(results.path(forged.eventId()).path("error").asText().contains("signature"), results.toString());
        assertTrue(a.queries.event(forged.eventId()).isEmpty(), "a dropped event is not stored");
        assertEquals(before, a.state(roomId));
    }

    @Test
    void pduWithABadContentHashIsKeptOnlyRedacted() {
        String message = b.sendText(roomId, bob, "the real text");
        ObjectNode tampered = b.event(message).json();
        ((ObjectNode) tampered.get("content")).put("body", "tampered text");

        JsonNode results = b.pushAs(b.serverName, a, "bad-hash", List.of(tampered));

        assertAccepted(results, message);
        Pdu stored = a.event(message);
        assertFalse(stored.contentView().has("body"), "the event is processed redacted: " + stored.json());
    }

    @Test
    void pduFailingTheAuthRulesIsStoredRejectedAndDoesNotChangeState() {
        Map<StateKey, String> stateBefore = a.state(roomId);
        Set<String> extremitiesBefore = a.extremities(roomId);
        // Bob's level (50) is below the name's (100); his server signs it anyway.
        Pdu forged = forge(b.signer, bob, "m.room.name", "", JSON.objectNode().put("name", "taken over"));

        JsonNode results = b.pushAs(b.serverName, a, "failing-auth", List.of(forged.json()));

        assertTrue(results.path(forged.eventId()).path("error").asText().startsWith("rejected"), results.toString());
        RoomEvent stored = a.queries.event(forged.eventId()).orElseThrow();
        assertNotNull(stored.rejectionReason(), "stored as rejected, with the reason");
        assertEquals(stateBefore, a.state(roomId));
        assertEquals(extremitiesBefore, a.extremities(roomId));
        assertFalse(a.timeline(roomId).contains(forged.eventId()));
    }

    @Test
    void pduOfAUserWhoIsNotInTheRoomIsRejected() {
        Pdu forged = forge(b.signer, b.user("mallory"), "m.room.message", null,
                JSON.objectNode().put("msgtype", "m.text").put("body", "hi"));

        JsonNode results = b.pushAs(b.serverName, a, "not-joined", List.of(forged.json()));

        assertTrue(results.path(forged.eventId()).path("error").asText().startsWith("rejected"), results.toString());
        assertFalse(a.timeline(roomId).contains(forged.eventId()));
    }

    @Test
    void onlyATransactionWithAnAcceptedPduPutsItsPeerInGoodStanding() {
        String peer = "127.0.0.1"; // the remote address every request of the test network has
        Pdu forged = forge(b.signer, b.user("mallory"), "m.room.message", null,
                JSON.objectNode().put("msgtype", "m.text").put("body", "hi"));
        b.pushAs(b.serverName, a, "all-rejected", List.of(forged.json()));
        assertFalse(a.routes.standing().inGoodStanding(peer), "a transaction with only rejected PDUs");

        String message = b.sendText(roomId, bob, "valid");
        assertAccepted(b.pushAs(b.serverName, a, "one-accepted", b.eventJsons(message)), message);
        assertTrue(a.routes.standing().inGoodStanding(peer));

        Pdu another = forge(b.signer, b.user("mallory"), "m.room.message", null,
                JSON.objectNode().put("msgtype", "m.text").put("body", "again"));
        b.pushAs(b.serverName, a, "rejected-again", List.of(another.json()));
        assertFalse(a.routes.standing().inGoodStanding(peer), "junk takes the standing away");
    }

    @Test
    void transactionIdIsProcessedOncePerOrigin() {
        String first = b.sendText(roomId, bob, "first");
        String second = b.sendText(roomId, bob, "second");

        JsonNode answer = b.pushAs(b.serverName, a, "same-txn", b.eventJsons(first));
        JsonNode repeated = b.pushAs(b.serverName, a, "same-txn", b.eventJsons(second));

        assertAccepted(answer, first);
        assertEquals(answer, repeated, "a retransmission gets the first answer");
        assertTrue(a.queries.event(second).isEmpty(), "the retransmitted transaction is not processed again");
        assertAccepted(b.pushAs(b.serverName, a, "next-txn", b.eventJsons(second)), second);
    }

    @Test
    void transactionOverTheSpecLimitsIsRefused() {
        List<JsonNode> pdus = new ArrayList<>();
        String message = b.sendText(roomId, bob, "one");
        for (int i = 0; i < TransactionEndpoints.MAX_PDUS + 1; i++) {
            pdus.add(b.event(message).json());
        }
        try {
            b.pushAs(b.serverName, a, "too-big", pdus);
            throw new AssertionError("a transaction of 51 PDUs was taken");
        } catch (CompletionException e) {
            assertEquals(400, ((FederationException) e.getCause()).status());
        }
    }

    @Test
    void edusGoToTheReceiverOfTheirTypeAndUnknownTypesAreIgnored() {
        ObjectNode body = JSON.objectNode();
        body.put("origin", b.serverName);
        body.put("origin_server_ts", 1L);
        body.putArray("pdus");
        ArrayNode edus = body.putArray("edus");
        edus.addObject().put("edu_type", "m.typing").putObject("content").put("user_id", bob);
        edus.addObject().put("edu_type", "org.example.unknown").putObject("content");

        b.network.clientOf(b.serverName).request(FederationRequest.put(a.serverName,
                FederationPaths.V1 + "/send/edus", body)).join();

        assertEquals(List.of(b.serverName + " {\"user_id\":\"" + bob + "\"}"), a.typingEdus);
    }

    @Test
    void missingPrevEventsAreFetchedFromTheOrigin() {
        String m1 = b.sendText(roomId, bob, "1");
        String m2 = b.sendText(roomId, bob, "2");
        String m3 = b.sendText(roomId, bob, "3");

        assertAccepted(b.push(a, m3), m3);

        List<String> timeline = a.timeline(roomId);
        assertEquals(List.of(m1, m2, m3), timeline.subList(timeline.size() - 3, timeline.size()));
        assertEquals(Set.of(m3), a.extremities(roomId));
        assertEquals(a.state(roomId), b.state(roomId));
    }

    @Test
    void anEventWhoseMissingPrevEventsCannotBeFetchedFailsItsTransactionForARetryInsteadOfBeingLost() {
        b.sendText(roomId, bob, "1");
        String m2 = b.sendText(roomId, bob, "2");
        network.setReachable(b.serverName, false);

        try {
            b.pushAs(b.serverName, a, "while-cut", b.eventJsons(m2));
            throw new AssertionError("the transaction was answered as if processed");
        } catch (CompletionException e) {
            assertEquals(503, ((FederationException) e.getCause()).status());
        }
        assertTrue(a.queries.event(m2).isEmpty());

        network.setReachable(b.serverName, true);
        assertAccepted(b.pushAs(b.serverName, a, "while-cut", b.eventJsons(m2)), m2);
        assertTrue(a.timeline(roomId).contains(m2), "the retransmission is processed, not answered from a record");
    }

    @Test
    void anEventWhoseMissingPrevEventsCannotBeAskedForIsRetriedLaterInsteadOfLeavingAGap() {
        String m1 = b.sendText(roomId, bob, "1");
        String m2 = b.sendText(roomId, bob, "2");
        // The rest of the origin answers, so the event alone could be placed from the state it gives.
        network.setReachablePath("/get_missing_events/", false);

        try {
            b.pushAs(b.serverName, a, "gap", b.eventJsons(m2));
            throw new AssertionError("the transaction was answered as if processed");
        } catch (CompletionException e) {
            assertEquals(503, ((FederationException) e.getCause()).status());
        }
        assertTrue(a.queries.event(m2).isEmpty());

        network.setReachablePath("/get_missing_events/", true);
        assertAccepted(b.pushAs(b.serverName, a, "gap", b.eventJsons(m2)), m2);
        List<String> timeline = a.timeline(roomId);
        assertEquals(List.of(m1, m2), timeline.subList(timeline.size() - 2, timeline.size()));
    }

    @Test
    void eventBeyondTheMissingEventsLimitGetsItsStateFromTheOrigin() {
        String last = null;
        for (int i = 0; i < IncomingPdus.MISSING_EVENTS_LIMIT + 5; i++) {
            last = b.sendText(roomId, bob, "m" + i);
        }

        assertAccepted(b.push(a, last), last);

        assertTrue(a.timeline(roomId).contains(last));
        assertTrue(a.extremities(roomId).contains(last));
        assertEquals(b.state(roomId), a.queries.stateIdsAfter(last).orElseThrow());
    }

    @Test
    void aLocalSendIsNotHeldUpWhileTheOriginIsAskedForTheStateBeforeAnEvent() {
        String last = null;
        for (int i = 0; i < IncomingPdus.MISSING_EVENTS_LIMIT + 5; i++) {
            last = b.sendText(roomId, bob, "m" + i);
        }
        // While A waits for B's /state_ids answer, Alice sends on A: the send takes the room's
        // lock, so it could not finish if A held that lock while asking.
        java.util.concurrent.atomic.AtomicReference<String> sentMeanwhile = new java.util.concurrent.atomic.AtomicReference<>();
        network.rewriteAnswers((request, answer) -> {
            if (request.uri().contains("/state_ids/") && sentMeanwhile.get() == null) {
                try {
                    sentMeanwhile.set(java.util.concurrent.CompletableFuture
                            .supplyAsync(() -> a.sendText(roomId, alice, "meanwhile"))
                            .get(60, java.util.concurrent.TimeUnit.SECONDS));
                } catch (Exception e) {
                    sentMeanwhile.set("not sent: " + e);
                }
            }
            return answer;
        });

        assertAccepted(b.push(a, last), last);

        assertNotNull(sentMeanwhile.get(), "A asked B for the state");
        assertTrue(a.timeline(roomId).contains(sentMeanwhile.get()), sentMeanwhile.get());
        assertTrue(a.timeline(roomId).contains(last));
        assertEquals(b.state(roomId), a.queries.stateIdsAfter(last).orElseThrow());
    }

    @Test
    void twoBranchesMergeWithStateResolution() {
        String base = a.sendText(roomId, alice, "base");
        assertAccepted(a.push(b, base), base);
        // Both servers change the topic at once, each on its own branch.
        String topicA = a.sendState(roomId, alice, "m.room.topic", JSON.objectNode().put("topic", "from A"));
        String topicB = b.sendState(roomId, bob, "m.room.topic", JSON.objectNode().put("topic", "from B"));
        assertEquals(List.of(base), a.event(topicA).prevEventIds());
        assertEquals(List.of(base), b.event(topicB).prevEventIds());

        assertAccepted(a.push(b, topicA), topicA);
        assertAccepted(b.push(a, topicB), topicB);

        assertEquals(Set.of(topicA, topicB), a.extremities(roomId));
        assertEquals(Set.of(topicA, topicB), b.extremities(roomId));
        assertEquals(a.state(roomId), b.state(roomId), "both servers resolve the same state");
        // Both topics are at the same place of the power levels' mainline: the later one wins.
        String later = a.event(topicA).originServerTs() > a.event(topicB).originServerTs() ? topicA : topicB;
        if (a.event(topicA).originServerTs() != a.event(topicB).originServerTs()) {
            assertEquals(later, a.state(roomId).get(StateKey.of("m.room.topic", "")));
        }

        String merge = a.sendText(roomId, alice, "merged");
        assertEquals(Set.of(topicA, topicB), Set.copyOf(a.event(merge).prevEventIds()));
        assertAccepted(a.push(b, merge), merge);
        assertEquals(Set.of(merge), b.extremities(roomId));
        assertEquals(a.state(roomId), b.state(roomId));
    }

    @Test
    void eventAllowedBeforeItButNotByTheCurrentStateIsSoftFailed() {
        String base = a.sendText(roomId, alice, "base");
        assertAccepted(a.push(b, base), base);
        // Alice bans bob on A; B has not heard of it when bob speaks.
        a.memberships.ban(roomId, alice, bob, null);
        String late = b.sendText(roomId, bob, "am I still here?");

        JsonNode results = b.push(a, late);

        assertTrue(results.path(late).path("error").asText().startsWith("soft failed"), results.toString());
        assertFalse(a.timeline(roomId).contains(late), "a soft-failed event is not shown to clients");
        assertFalse(a.extremities(roomId).contains(late));
        assertEquals("ban", a.queries.membership(roomId, bob).orElseThrow());
    }

    /** An event on A's current extremities with auth events from A's current state, signed by {@code signer}. */
    private Pdu forge(EventSigner signer, String sender, String type, String stateKey, ObjectNode content) {
        RoomVersion version = a.queries.roomVersion(roomId);
        Map<StateKey, String> state = a.state(roomId);
        ObjectNode event = JSON.objectNode();
        event.put("room_id", roomId);
        event.put("sender", sender);
        event.put("type", type);
        if (stateKey != null) {
            event.put("state_key", stateKey);
        }
        event.set("content", content);
        event.put("origin_server_ts", System.currentTimeMillis());
        long depth = 0;
        ArrayNode prevs = event.putArray("prev_events");
        for (String extremity : a.extremities(roomId)) {
            prevs.add(extremity);
            depth = Math.max(depth, a.event(extremity).depth());
        }
        event.put("depth", depth + 1);
        ArrayNode auth = event.putArray("auth_events");
        for (StateKey key : List.of(StateKey.of("m.room.power_levels", ""), StateKey.of("m.room.member", sender))) {
            if (state.containsKey(key)) {
                auth.add(state.get(key));
            }
        }
        return signer.finish(event, version);
    }

    private static NodeIdentity identity(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return NodeIdentity.fromSeed(bytes);
    }
}
