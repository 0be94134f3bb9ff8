package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomFixture.ALICE;
import static dev.hyphae.node.auth.RoomFixture.BOB;
import static dev.hyphae.node.auth.RoomFixture.CAROL;
import static dev.hyphae.node.auth.RoomFixture.MOD;
import static dev.hyphae.node.auth.RoomFixture.arr;
import static dev.hyphae.node.auth.RoomFixture.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The member invite rule "If content has a third_party_invite property" and its Ed25519 check. */
class ThirdPartyInviteRulesTest {
    private static final Ed25519PrivateKeyParameters KEY = new Ed25519PrivateKeyParameters(new SecureRandom());
    private static final Ed25519PrivateKeyParameters OTHER_KEY = new Ed25519PrivateKeyParameters(new SecureRandom());
    // The canonical JSON of {"mxid": BOB, "token": "tok"}, written out by hand.
    private static final String SIGNED_CANONICAL = "{\"mxid\":\"@bob:b.example\",\"token\":\"tok\"}";

    static Stream<String> allVersions() {
        return RoomFixture.allVersions();
    }

    private static String unpadded(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String publicKey(Ed25519PrivateKeyParameters key) {
        return unpadded(key.generatePublicKey().getEncoded());
    }

    private static String sign(Ed25519PrivateKeyParameters key, String canonical) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] message = canonical.getBytes(StandardCharsets.UTF_8);
        signer.update(message, 0, message.length);
        return unpadded(signer.generateSignature());
    }

    private static ObjectNode signed(String mxid, String token, Ed25519PrivateKeyParameters key) {
        ObjectNode signed = obj("mxid", mxid, "token", token);
        signed.set("signatures", obj("id.example", obj("ed25519:0", sign(key, SIGNED_CANONICAL))));
        return signed;
    }

    /** A room where Alice (joined, may invite) issued a third-party invite "tok" with the given content. */
    private static RoomFixture roomWithInvite(String version, ObjectNode inviteContent) {
        RoomFixture room = RoomFixture.room(version);
        room.add(room.state("m.room.third_party_invite", "tok", ALICE, inviteContent));
        return room;
    }

    private static ObjectNode inviteWithPublicKey() {
        return obj("display_name", "b...", "key_validity_url", "https://id.example/check",
                "public_key", publicKey(KEY));
    }

    private static Pdu thirdPartyMember(RoomFixture room, String sender, ObjectNode thirdPartyInvite) {
        ObjectNode content = obj("membership", "invite");
        content.set("third_party_invite", thirdPartyInvite);
        return room.state("m.room.member", BOB, sender, content);
    }

    private static ObjectNode thirdPartyInvite(ObjectNode signed) {
        ObjectNode invite = obj("display_name", "b...");
        invite.set("signed", signed);
        return invite;
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsAllowedWhenASignatureMatchesThePublicKey(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey());
        assertTrue(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(signed(BOB, "tok", KEY)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsAllowedWhenASignatureMatchesAnEntryOfPublicKeys(String version) {
        ObjectNode content = obj("display_name", "b...", "public_key", publicKey(OTHER_KEY));
        content.set("public_keys", arr(obj("public_key", publicKey(OTHER_KEY)),
                obj("public_key", publicKey(KEY).replace('+', '-').replace('/', '_'))));
        RoomFixture room = roomWithInvite(version, content);
        assertTrue(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(signed(BOB, "tok", KEY)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsRejectedWhenNoSignatureMatchesAnyPublicKey(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey());
        assertFalse(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(signed(BOB, "tok", OTHER_KEY))))
                .allowed());
        // a signature over other content does not match either
        ObjectNode tampered = signed(BOB, "tok", KEY).put("extra", "x");
        assertFalse(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(tampered))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsRejectedWhenTheTargetIsBanned(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey()).membership(BOB, "ban");
        assertFalse(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(signed(BOB, "tok", KEY)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsRejectedWithoutASignedProperty(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey());
        assertFalse(room.check(thirdPartyMember(room, ALICE, obj("display_name", "b..."))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsRejectedWhenSignedLacksMxidOrToken(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey());
        ObjectNode noMxid = signed(BOB, "tok", KEY);
        noMxid.remove("mxid");
        ObjectNode noToken = signed(BOB, "tok", KEY);
        noToken.remove("token");
        assertFalse(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(noMxid))).allowed());
        assertFalse(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(noToken))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsRejectedWhenMxidDoesNotMatchTheStateKey(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey());
        assertFalse(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(signed(CAROL, "tok", KEY))))
                .allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsRejectedWithoutAThirdPartyInviteEventForTheToken(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey()).remove("m.room.third_party_invite", "tok");
        assertFalse(room.check(thirdPartyMember(room, ALICE, thirdPartyInvite(signed(BOB, "tok", KEY)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyMemberInviteIsRejectedWhenTheSenderDiffersFromTheThirdPartyInviteSender(String version) {
        RoomFixture room = roomWithInvite(version, inviteWithPublicKey()).joined(MOD);
        assertFalse(room.check(thirdPartyMember(room, MOD, thirdPartyInvite(signed(BOB, "tok", KEY)))).allowed());
    }

    @Test
    void signedBlockIsVerifiedOverItsCanonicalJsonWithoutSignaturesAndUnsigned() {
        ObjectNode signed = obj("token", "tok", "mxid", BOB, "unsigned", obj("age", 1));
        signed.set("signatures", obj("x", obj("y", "z")));
        assertArrayEquals(SIGNED_CANONICAL.getBytes(StandardCharsets.UTF_8),
                ThirdPartyInviteSignatures.canonicalWithoutSignatures(signed));
    }

    @Test
    void canonicalJsonSortsKeysByCodePointAndEscapesOnlyWhatJsonRequires() {
        ObjectNode object = obj("b", arr(1, true), "a", "\u65e5\"\\\n\u0001", "\uD83D\uDE00", 1, "\uFFFF", 2);
        String expected = "{\"a\":\"\u65e5\\\"\\\\\\n\\u0001\",\"b\":[1,true],\"\uFFFF\":2,\"\uD83D\uDE00\":1}";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8),
                ThirdPartyInviteSignatures.canonicalWithoutSignatures(object));
    }
}
