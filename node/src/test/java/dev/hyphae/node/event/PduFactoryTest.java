package dev.hyphae.node.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.signing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PduFactoryTest {
    private static final RoomVersion V12 = RoomVersions.get("12");
    private static final RoomVersion V10 = RoomVersions.get("10");
    private static final String ROOM_V12 = "!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ";
    private final EventSigner signer = new EventSigner("domain", TestKeys.appendixKey(), new SecureRandom());

    static ObjectNode message(String roomId) {
        return CanonicalJson.parseObject("{\"type\":\"m.room.message\",\"sender\":\"@a:domain\",\"room_id\":\"" + roomId + "\","
                + "\"content\":{\"body\":\"hi\"},\"depth\":5,\"origin_server_ts\":1000,"
                + "\"prev_events\":[\"$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg\"],"
                + "\"auth_events\":[\"$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg\"]}");
    }

    static ObjectNode create() {
        return CanonicalJson.parseObject("{\"type\":\"m.room.create\",\"state_key\":\"\",\"sender\":\"@a:domain\","
                + "\"content\":{\"room_version\":\"12\"},\"depth\":1,\"origin_server_ts\":1000,\"prev_events\":[],\"auth_events\":[]}");
    }

    private byte[] signed(ObjectNode event, RoomVersion version, Consumer<ObjectNode> change) {
        ObjectNode json = signer.finish(event, version).json();
        change.accept(json);
        return CanonicalJson.encode(json);
    }

    @Test
    void validEventGetsItsReferenceHashAsId() {
        byte[] bytes = signed(message(ROOM_V12), V12, e -> { });
        Pdu pdu = PduFactory.fromFederation(bytes, V12);
        assertEquals(ReferenceHash.eventId(CanonicalJson.parseObject(bytes), V12), pdu.eventId());
        assertEquals(ROOM_V12, pdu.roomId());
        assertEquals(44, pdu.eventId().length());
    }

    @Test
    void v12CreateEventHasNoRoomIdAndItsRoomIdDerivesFromItsEventId() {
        Pdu pdu = PduFactory.fromFederation(signed(create(), V12, e -> { }), V12);
        assertEquals("!" + pdu.eventId().substring(1), pdu.roomId());
        dev.hyphae.node.identifier.RoomId.parse(pdu.roomId());
    }

    @Test
    void v12CreateEventWithRoomIdIsRejected() {
        byte[] bytes = signed(create(), V12, e -> e.put("room_id", ROOM_V12));
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(bytes, V12));
        assertTrue(e.getMessage().contains("must not have a room_id"), e.getMessage());
    }

    @Test
    void v12EventWithServerNameRoomIdIsRejected() {
        byte[] bytes = signed(message(ROOM_V12), V12, e -> e.put("room_id", "!abc:domain"));
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(bytes, V12));
    }

    @Test
    void v10EventWithHashRoomIdIsRejected() {
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> signer.finish(message(ROOM_V12), V10));
        assertTrue(e.getMessage().contains("have a server name"), e.getMessage());
    }

    @Test
    void v10CreateEventNeedsARoomId() {
        ObjectNode create = create();
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> signer.finish(create, V10));
        assertTrue(e.getMessage().contains("room_id"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"type", "sender", "content", "depth", "origin_server_ts", "hashes", "signatures", "room_id",
            "prev_events", "auth_events"})
    void eachRequiredKeyIsRequired(String key) {
        byte[] bytes = signed(message(ROOM_V12), V12, e -> e.remove(key));
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(bytes, V12));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void wrongTypesAreRejected() {
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12,
                e -> e.put("depth", "5")), V12));
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12,
                e -> e.put("state_key", 1)), V12));
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12,
                e -> e.putArray("prev_events").add(1)), V12));
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12,
                e -> e.put("sender", "not-a-user")), V12));
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12,
                e -> e.putObject("hashes")), V12));
    }

    @Test
    void floatsAndOutOfRangeIntegersAreRejectedFromV6() {
        String json = new String(signed(message(ROOM_V12), V12, e -> { }), StandardCharsets.UTF_8);
        byte[] withFloat = json.replace("\"depth\":5", "\"depth\":5.0").getBytes(StandardCharsets.UTF_8);
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(withFloat, V12));
        assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
        byte[] big = json.replace("\"depth\":5", "\"depth\":9007199254740992").getBytes(StandardCharsets.UTF_8);
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(big, V12));
        ObjectNode tree = CanonicalJson.parseObject(json);
        tree.with("content").put("n", 0.5);
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(tree, V12));
    }

    @Test
    void largeIntegersAreToleratedBeforeV6() {
        RoomVersion v5 = RoomVersions.get("5");
        String json = new String(signed(message("!r:domain"), v5, e -> { }), StandardCharsets.UTF_8)
                .replace("\"body\":\"hi\"", "\"body\":\"hi\",\"n\":9007199254740993");
        Pdu pdu = PduFactory.fromFederation(json.getBytes(StandardCharsets.UTF_8), v5);
        assertEquals(9007199254740993L, pdu.content().get("n").longValue());
    }

    @Test
    void floatPowerLevelsAreToleratedBeforeV6() {
        RoomVersion v5 = RoomVersions.get("5");
        String json = new String(signed(message("!r:domain"), v5, e -> { }), StandardCharsets.UTF_8)
                .replace("\"body\":\"hi\"", "\"body\":\"hi\",\"users_default\":50.5");
        Pdu pdu = PduFactory.fromFederation(json.getBytes(StandardCharsets.UTF_8), v5);
        assertEquals(50.5, pdu.contentField("users_default").doubleValue());
        assertThrows(InvalidPduException.class,
                () -> PduFactory.fromFederation(json.replace("\"room_id\":\"!r:domain\"", "\"room_id\":\"" + ROOM_V12 + "\"")
                        .getBytes(StandardCharsets.UTF_8), V12));
    }

    @Test
    void duplicateKeysAreRejected() {
        String json = new String(signed(message(ROOM_V12), V12, e -> { }), StandardCharsets.UTF_8);
        byte[] duplicated = json.replace("\"depth\":5", "\"depth\":5,\"depth\":6").getBytes(StandardCharsets.UTF_8);
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(duplicated, V12));
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
    }

    @Test
    void eventsOver65536BytesAreRejected() {
        ObjectNode big = message(ROOM_V12);
        big.with("content").put("body", "x".repeat(65_536));
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> signer.finish(big, V12));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void eventOfExactly65536BytesIsAccepted() {
        ObjectNode probe = message(ROOM_V12);
        int base = signer.finish(probe.deepCopy(), V12).canonicalJson().length;
        ObjectNode event = message(ROOM_V12);
        event.with("content").put("body", "hi" + "x".repeat(65_536 - base));
        Pdu pdu = signer.finish(event, V12);
        assertEquals(65_536, pdu.canonicalJson().length);
        ObjectNode over = message(ROOM_V12);
        over.with("content").put("body", "hi" + "x".repeat(65_537 - base));
        assertThrows(InvalidPduException.class, () -> signer.finish(over, V12));
    }

    @Test
    void typeAndStateKeyAreLimitedTo255Bytes() {
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12,
                e -> e.put("type", "t".repeat(256))), V12));
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12,
                e -> e.put("state_key", "é".repeat(128))), V12));
        PduFactory.fromFederation(signed(message(ROOM_V12), V12, e -> e.put("state_key", "k".repeat(255))), V12);
    }

    @Test
    void tooManyAuthEventsAreRejected() {
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(signed(message(ROOM_V12), V12, e -> {
            var auth = e.putArray("auth_events");
            for (int i = 0; i < 11; i++) {
                auth.add("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Z" + (char) ('a' + i));
            }
        }), V12));
    }

    @Test
    void v1EventsCarryTheirIdAndReferencePairs() {
        RoomVersion v1 = RoomVersions.get("1");
        ObjectNode event = CanonicalJson.parseObject("{\"type\":\"m.room.message\",\"sender\":\"@a:domain\","
                + "\"room_id\":\"!r:domain\",\"content\":{},\"depth\":2,\"origin_server_ts\":1,"
                + "\"prev_events\":[[\"$p:domain\",{\"sha256\":\"abc\"}]],\"auth_events\":[]}");
        Pdu pdu = signer.finish(event, v1);
        assertTrue(pdu.eventId().endsWith(":domain"), pdu.eventId());
        assertEquals(java.util.List.of("$p:domain"), pdu.prevEventIds());
        Pdu received = PduFactory.fromFederation(pdu.canonicalJson(), v1);
        assertEquals(pdu.eventId(), received.eventId());

        ObjectNode noId = pdu.json();
        noId.remove("event_id");
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(noId, v1));
        ObjectNode plainRefs = pdu.json();
        plainRefs.putArray("prev_events").add("$p:domain");
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(plainRefs, v1));
    }

    @Test
    void trailingGarbageIsRejected() {
        byte[] bytes = (new String(signed(message(ROOM_V12), V12, e -> { }), StandardCharsets.UTF_8) + "x")
                .getBytes(StandardCharsets.UTF_8);
        assertThrows(InvalidPduException.class, () -> PduFactory.fromFederation(bytes, V12));
    }

    @Test
    void unpairedSurrogateInContentIsRejected() {
        String json = new String(signed(message(ROOM_V12), V12, e -> { }), StandardCharsets.UTF_8)
                .replace("\"body\":\"hi\"", "\"body\":\"\\ud800\"");
        InvalidPduException e = assertThrows(InvalidPduException.class,
                () -> PduFactory.fromFederation(json.getBytes(StandardCharsets.UTF_8), V12));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    @Test
    void contentFieldReadsWithoutCopying() {
        Pdu pdu = PduFactory.fromFederation(signed(message(ROOM_V12), V12, e -> { }), V12);
        assertEquals("hi", pdu.contentField("body").asText());
        assertTrue(pdu.contentField("absent").isMissingNode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "4", "10", "11", "12"})
    void locallyFinishedEventIdEqualsTheReceiversDerivation(String versionId) {
        RoomVersion version = RoomVersions.get(versionId);
        Pdu sent = signer.finish(message(version.roomIdFromCreateEvent() ? ROOM_V12 : "!r:domain"), version);
        assertEquals(ReferenceHash.eventId(sent.json(), version), sent.eventId());
        assertEquals(sent.eventId(), PduFactory.fromFederation(sent.canonicalJson(), version).eventId());
    }

    @Test
    void storedEventReadsBackWithItsId() {
        Pdu sent = signer.finish(message(ROOM_V12), V12);
        Pdu stored = Pdu.fromStoredJson(sent.eventId(), sent.canonicalJson(), V12);
        assertEquals(sent.eventId(), stored.eventId());
        assertEquals(new String(sent.canonicalJson(), StandardCharsets.UTF_8),
                new String(stored.canonicalJson(), StandardCharsets.UTF_8));
    }
}
