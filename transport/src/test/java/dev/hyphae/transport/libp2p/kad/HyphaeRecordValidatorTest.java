package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.peer.Envelope;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HyphaeRecordValidatorTest {

    private final Random random = new Random(5);
    private final PrivateKey alice = KadTestPeers.key(random);
    private final PrivateKey mallory = KadTestPeers.key(random);
    private final NamespacedValidator validator = NamespacedValidator.hyphae();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordSignedByTheKeysPeerIsValidAndOpens() throws Exception {
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        byte[] value = HyphaeRecord.sign(alice, "addrs", 3, utf8("hello"));
        validator.validate(key, value);
        HyphaeRecord r = HyphaeRecord.open(key, value);
        assertEquals(alice.peerId(), r.publisher());
        assertEquals(3, r.seq());
        assertArrayEquals(utf8("hello"), r.data());
        assertEquals("/hyphae/" + alice.peerId().toBase58() + "/addrs", new String(key, StandardCharsets.UTF_8));
    }

    @Test
    void recordSignedByAnotherPeerIsRejected() {
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        byte[] forged = HyphaeRecord.sign(mallory, "addrs", 9, utf8("evil"));
        // mallory's record names mallory's key; stored under alice's key it must fail
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> validator.validate(key, forged));
        assertTrue(e.getMessage().contains("not by the key's peer"), e.getMessage());
    }

    @Test
    void recordReplayedUnderAnotherNameOfTheSamePeerIsRejected() {
        byte[] value = HyphaeRecord.sign(alice, "addrs", 1, utf8("x"));
        byte[] otherKey = HyphaeRecord.key(alice.peerId(), "profile");
        assertThrows(InvalidRecordException.class, () -> validator.validate(otherKey, value));
    }

    @Test
    void envelopeForAnotherDomainOrTamperedIsRejected() {
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        byte[] otherDomain = Envelope.seal(alice, "libp2p-peer-record", utf8(HyphaeRecord.PAYLOAD_TYPE), utf8("x")).toBytes();
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, otherDomain));
        byte[] value = HyphaeRecord.sign(alice, "addrs", 1, utf8("x"));
        value[value.length - 1] ^= 1;
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, value));
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, new byte[] {1, 2, 3}));
    }

    @Test
    void malformedKeysAreRejected() {
        byte[] value = HyphaeRecord.sign(alice, "addrs", 1, utf8("x"));
        for (String key : List.of("/hyphae/", "/hyphae/" + alice.peerId().toBase58(),
            "/hyphae/" + alice.peerId().toBase58() + "/", "/hyphae/notapeer/addrs",
            "/hyphae/" + alice.peerId().toCid() + "/addrs")) {
            assertThrows(InvalidRecordException.class, () -> validator.validate(utf8(key), value), key);
        }
    }

    @Test
    void unknownOrMissingNamespacesAreRejected() {
        byte[] value = HyphaeRecord.sign(alice, "addrs", 1, utf8("x"));
        for (String key : List.of("/pk/abc", "/ipns/abc", "hyphae/x/y", "//x", "", "/nons")) {
            assertThrows(InvalidRecordException.class, () -> validator.validate(utf8(key), value), key);
        }
    }

    @Test
    void selectPicksTheHighestSequenceNumberAndIsStableOnTies() throws Exception {
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        byte[] v1 = HyphaeRecord.sign(alice, "addrs", 1, utf8("a"));
        byte[] v5 = HyphaeRecord.sign(alice, "addrs", 5, utf8("b"));
        byte[] v5b = HyphaeRecord.sign(alice, "addrs", 5, utf8("c"));
        assertEquals(1, validator.select(key, List.of(v1, v5)));
        assertEquals(0, validator.select(key, List.of(v5, v1)));
        assertEquals(0, validator.select(key, List.of(v5, v5b)));
        assertEquals(1, validator.select(key, List.of(new byte[] {0}, v1)), "invalid candidates are skipped");
        assertThrows(InvalidRecordException.class, () -> validator.select(key, List.of(new byte[] {0})));
    }
}
