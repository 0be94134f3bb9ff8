package dev.hyphae.node.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.node.signing.ServerVerifyKey;
import dev.hyphae.node.signing.SignatureCheck;
import dev.hyphae.node.signing.SigningKey;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PduVerifierTest {
    private static final RoomVersion V12 = RoomVersions.get("12");
    private static final String ROOM_V12 = "!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ";

    private final SigningKey aliceServerKey = SigningKey.fromSeed("ed25519:a", seed(1));
    private final SigningKey bobServerKey = SigningKey.fromSeed("ed25519:b", seed(2));
    private final EventSigner aliceServer = new EventSigner("a.example", aliceServerKey, new SecureRandom());
    private final EventSigner bobServer = new EventSigner("b.example", bobServerKey, new SecureRandom());
    private final Map<String, ServerVerifyKey> known = new HashMap<>();
    private final ServerKeyLookup lookup = (server, keyId) -> Optional.ofNullable(known.get(server + " " + keyId));
    private final PduVerifier verifier = new PduVerifier(lookup);

    PduVerifierTest() {
        known.put("a.example ed25519:a", new ServerVerifyKey(aliceServerKey.verifyKey(), Long.MAX_VALUE));
        known.put("b.example ed25519:b", new ServerVerifyKey(bobServerKey.verifyKey(), Long.MAX_VALUE));
    }

    private static byte[] seed(int last) {
        byte[] seed = new byte[32];
        seed[31] = (byte) last;
        return seed;
    }

    private static ObjectNode message(String sender, String roomId) {
        return CanonicalJson.parseObject("{\"type\":\"m.room.message\",\"sender\":\"" + sender + "\",\"room_id\":\""
                + roomId + "\",\"content\":{\"body\":\"hi\"},\"depth\":5,\"origin_server_ts\":1000,"
                + "\"prev_events\":[],\"auth_events\":[]}");
    }

    private static Pdu receive(Pdu sent) {
        return PduFactory.fromFederation(sent.canonicalJson(), sent.roomVersion());
    }

    @Test
    void eventSignedBySendersServerVerifies() {
        Pdu pdu = receive(aliceServer.finish(message("@alice:a.example", ROOM_V12), V12));
        assertTrue(verifier.checkSignatures(pdu).valid());
        assertSame(pdu, PduVerifier.checkContentHash(pdu));
    }

    @Test
    void eventSignedByAnotherServerFails() {
        Pdu pdu = receive(bobServer.finish(message("@alice:a.example", ROOM_V12), V12));
        SignatureCheck check = verifier.checkSignatures(pdu);
        assertFalse(check.valid());
        assertTrue(check.reason().contains("no signatures from a.example"), check.reason());
    }

    @Test
    void changedEssentialKeyBreaksTheSignature() {
        ObjectNode json = aliceServer.finish(message("@alice:a.example", ROOM_V12), V12).json();
        json.put("origin_server_ts", 1001);
        SignatureCheck check = verifier.checkSignatures(PduFactory.fromFederation(json, V12));
        assertFalse(check.valid());
        assertTrue(check.reason().contains("does not verify"), check.reason());
    }

    @Test
    void changedContentKeepsSignatureButFailsTheHashAndIsRedacted() {
        ObjectNode json = aliceServer.finish(message("@alice:a.example", ROOM_V12), V12).json();
        json.with("content").put("body", "tampered");
        Pdu pdu = PduFactory.fromFederation(json, V12);
        assertTrue(verifier.checkSignatures(pdu).valid());
        assertFalse(PduVerifier.contentHashMatches(pdu));
        Pdu processed = PduVerifier.checkContentHash(pdu);
        assertEquals(0, processed.content().size());
        assertEquals(pdu.eventId(), processed.eventId());
    }

    @Test
    void redactedCopyStillVerifies() {
        Pdu pdu = receive(aliceServer.finish(message("@alice:a.example", ROOM_V12), V12));
        Pdu redacted = PduFactory.fromFederation(pdu.redacted().json(), V12);
        assertEquals(pdu.eventId(), redacted.eventId());
        assertTrue(verifier.checkSignatures(redacted).valid());
    }

    @Test
    void unknownKeyFails() {
        known.clear();
        Pdu pdu = receive(aliceServer.finish(message("@alice:a.example", ROOM_V12), V12));
        assertTrue(verifier.checkSignatures(pdu).reason().contains("no known verification key"));
    }

    @Test
    void expiredKeyIsSkippedFromV5ButNotBefore() {
        known.put("a.example ed25519:a", new ServerVerifyKey(aliceServerKey.verifyKey(), 999));
        Pdu v5 = receive(aliceServer.finish(message("@alice:a.example", "!r:a.example"), RoomVersions.get("5")));
        assertFalse(verifier.checkSignatures(v5).valid());
        Pdu v4 = receive(aliceServer.finish(message("@alice:a.example", "!r:a.example"), RoomVersions.get("4")));
        assertTrue(verifier.checkSignatures(v4).valid());
    }

    @Test
    void v1EventNeedsTheSignatureOfItsEventIdServer() {
        RoomVersion v1 = RoomVersions.get("1");
        ObjectNode event = message("@alice:a.example", "!r:a.example");
        event.put("event_id", "$abc:b.example");
        Pdu onlyAlice = receive(aliceServer.finish(event, v1));
        assertEquals(Set.of("a.example", "b.example"), PduVerifier.requiredSigners(onlyAlice));
        assertFalse(verifier.checkSignatures(onlyAlice).valid());
        ObjectNode both = bobServer.sign(onlyAlice.json(), v1);
        assertTrue(verifier.checkSignatures(PduFactory.fromFederation(both, v1)).valid());
    }

    @Test
    void thirdPartyInviteNeedsNoSignatureFromTheSendersServer() {
        ObjectNode invite = CanonicalJson.parseObject("{\"type\":\"m.room.member\",\"state_key\":\"@carol:b.example\","
                + "\"sender\":\"@alice:a.example\",\"room_id\":\"" + ROOM_V12 + "\",\"content\":{\"membership\":\"invite\","
                + "\"third_party_invite\":{\"signed\":{\"token\":\"t\"}}},\"depth\":5,\"origin_server_ts\":1000,"
                + "\"prev_events\":[],\"auth_events\":[]}");
        Pdu pdu = receive(bobServer.finish(invite, V12));
        assertEquals(Set.of(), PduVerifier.requiredSigners(pdu));
    }

    @Test
    void restrictedJoinNeedsTheAuthorisingServersSignature() {
        ObjectNode join = CanonicalJson.parseObject("{\"type\":\"m.room.member\",\"state_key\":\"@bob:b.example\","
                + "\"sender\":\"@bob:b.example\",\"room_id\":\"" + ROOM_V12 + "\",\"content\":{\"membership\":\"join\","
                + "\"join_authorised_via_users_server\":\"@alice:a.example\"},\"depth\":5,\"origin_server_ts\":1000,"
                + "\"prev_events\":[],\"auth_events\":[]}");
        Pdu onlyBob = receive(bobServer.finish(join, V12));
        SignatureCheck check = verifier.checkSignatures(onlyBob);
        assertTrue(check.reason().contains("a.example"), check.reason());
        assertFalse(verifier.isValidlySignedBy(onlyBob, "a.example"));
        Pdu both = PduFactory.fromFederation(aliceServer.sign(onlyBob.json(), V12), V12);
        assertTrue(verifier.checkSignatures(both).valid());
        assertTrue(verifier.isValidlySignedBy(both, "a.example"));
        assertTrue(verifier.isValidlySignedBy(both, "b.example"));
        assertEquals(onlyBob.eventId(), both.eventId());
    }

    @Test
    void malformedSignatureFails() {
        ObjectNode json = aliceServer.finish(message("@alice:a.example", ROOM_V12), V12).json();
        json.with("signatures").with("a.example").put("ed25519:a", "not base64!");
        assertTrue(verifier.checkSignatures(PduFactory.fromFederation(json, V12)).reason().contains("not base64"));
    }

    @Test
    void missingOrBadHashIsAMismatch() {
        ObjectNode json = aliceServer.finish(message("@alice:a.example", ROOM_V12), V12).json();
        json.with("hashes").put("sha256", "AAAA");
        assertFalse(PduVerifier.contentHashMatches(PduFactory.fromFederation(json, V12)));
        json.with("hashes").put("sha256", "%%%");
        assertFalse(PduVerifier.contentHashMatches(PduFactory.fromFederation(json, V12)));
    }

    @Test
    void rememberedSignatureVerifiesAgainWithoutChange() {
        VerifiedSignatures verified = new VerifiedSignatures(16);
        PduVerifier caching = new PduVerifier(lookup, verified);
        Pdu pdu = receive(aliceServer.finish(message("@alice:a.example", ROOM_V12), V12));
        assertTrue(caching.checkSignatures(pdu).valid());
        assertEquals(1, verified.size());
        // The same event as read back from the store, without the bytes kept at receipt.
        Pdu stored = Pdu.fromStoredJson(pdu.eventId(), pdu.canonicalJson(), V12);
        assertTrue(caching.checkSignatures(stored).valid());
        assertEquals(1, verified.size());
    }

    @Test
    void rememberedSignatureDoesNotCoverAChangedEvent() {
        PduVerifier caching = new PduVerifier(lookup, new VerifiedSignatures(16));
        Pdu pdu = receive(aliceServer.finish(message("@alice:a.example", ROOM_V12), V12));
        assertTrue(caching.checkSignatures(pdu).valid());
        ObjectNode json = pdu.json();
        json.put("origin_server_ts", 1001);
        // Same event ID claimed (as the store trusts it), different signed bytes: checked afresh.
        Pdu forged = new Pdu(pdu.eventId(), json, V12);
        SignatureCheck check = caching.checkSignatures(forged);
        assertFalse(check.valid());
        assertTrue(check.reason().contains("does not verify"), check.reason());
    }

    @Test
    void rememberedSignatureDoesNotCoverAnotherKey() {
        PduVerifier caching = new PduVerifier(lookup, new VerifiedSignatures(16));
        Pdu pdu = receive(aliceServer.finish(message("@alice:a.example", ROOM_V12), V12));
        assertTrue(caching.checkSignatures(pdu).valid());
        known.put("a.example ed25519:a", new ServerVerifyKey(bobServerKey.verifyKey(), Long.MAX_VALUE));
        assertFalse(caching.checkSignatures(pdu).valid());
    }

    @Test
    void rememberedSignaturesAreBounded() {
        VerifiedSignatures verified = new VerifiedSignatures(2);
        PduVerifier caching = new PduVerifier(lookup, verified);
        for (int i = 0; i < 5; i++) {
            ObjectNode event = message("@alice:a.example", ROOM_V12);
            event.put("depth", i);
            assertTrue(caching.checkSignatures(receive(aliceServer.finish(event, V12))).valid());
        }
        assertEquals(2, verified.size());
    }

    @Test
    void signedBytesKeptAtReceiptEqualTheRedactedEventWithoutSignatures() {
        Pdu pdu = receive(aliceServer.finish(message("@alice:a.example", ROOM_V12), V12));
        Pdu stored = Pdu.fromStoredJson(pdu.eventId(), pdu.canonicalJson(), V12);
        assertArrayEquals(stored.signedBytes(), pdu.signedBytes());
        assertEquals(pdu.eventId(), ReferenceHash.eventIdFromHash(Sha256.digest(stored.signedBytes()), V12));
    }

    @Test
    void canonicalJsonKeptWhenSigningEqualsTheEncodedEventAndCannotBeChangedThroughTheCopy() {
        Pdu pdu = aliceServer.finish(message("@alice:a.example", ROOM_V12), V12);
        byte[] first = pdu.canonicalJson();
        assertArrayEquals(CanonicalJson.encode(pdu.json()), first);
        first[0] = 0;
        assertArrayEquals(CanonicalJson.encode(pdu.json()), pdu.canonicalJson());
    }
}
