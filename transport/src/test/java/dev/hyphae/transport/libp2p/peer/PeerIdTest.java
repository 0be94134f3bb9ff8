package dev.hyphae.transport.libp2p.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {

    private static final HexFormat HEX = HexFormat.of();

    static PrivateKey seedOne() {
        byte[] seed = new byte[32];
        seed[31] = 1;
        return PrivateKey.fromSeed(seed);
    }

    @Test
    void seedZeroToOneGivesTheKnownEd25519PeerId() {
        PeerId id = seedOne().peerId();
        assertEquals("12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp", id.toString());
        assertEquals(id, PeerId.parse(id.toString()));
        assertTrue(id.toCid().startsWith("bafzaa"));
        assertEquals(id, PeerId.parse(id.toCid()));
        assertEquals(Optional.of(seedOne().publicKey()), id.publicKey());
    }

    @Test
    void identityMultihashWrapsThePublicKeyProtobuf() {
        PrivateKey key = seedOne();
        byte[] bytes = key.peerId().toBytes();
        assertEquals(0x00, bytes[0]);
        assertEquals(36, bytes[1]);
        assertArrayEquals(key.publicKey().toProtobuf(), java.util.Arrays.copyOfRange(bytes, 2, 38));
    }

    @Test
    void peerIdsSpecKeyVectorsDecodeAndReencode() {
        byte[] priv = HEX.parseHex("080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
            + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
        byte[] pub = HEX.parseHex("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
        PrivateKey key = PrivateKey.fromProtobuf(priv);
        assertArrayEquals(priv, key.toProtobuf());
        assertEquals(PublicKey.fromProtobuf(pub), key.publicKey());
        assertArrayEquals(pub, key.publicKey().toProtobuf());
    }

    @Test
    void sha256PeerIdParsesFromBase58AndCidAlike() {
        PeerId fromCid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        PeerId fromBase58 = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertEquals(fromBase58, fromCid);
        assertEquals("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", fromCid.toString());
        assertEquals(Optional.empty(), fromCid.publicKey());
        assertEquals("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", fromCid.toCid());
    }

    @Test
    void base36CidFormParsesToTheSamePeer() {
        // the IPNS-style k51… form of the seed-one peer id
        PeerId id = seedOne().peerId();
        java.math.BigInteger n = new java.math.BigInteger(1, cidBytes(id));
        PeerId parsed = PeerId.parse("k" + n.toString(36));
        assertEquals(id, parsed);
    }

    private static byte[] cidBytes(PeerId id) {
        byte[] multihash = id.toBytes();
        byte[] cid = new byte[multihash.length + 2];
        cid[0] = 1;
        cid[1] = 0x72;
        System.arraycopy(multihash, 0, cid, 2, multihash.length);
        return cid;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12D3KooW", "Qm", "0OIl", "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
        "xyz", "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEq1"})
    void rejectsTextThatIsNotAPeerId(String text) {
        assertThrows(InvalidPeerIdException.class, () -> PeerId.parse(text));
    }

    @Test
    void rejectsBadKeyEncodings() {
        assertThrows(KeyFormatException.class, () -> PublicKey.fromProtobuf(HEX.parseHex("0801121f00")));
        assertThrows(KeyFormatException.class, () -> PublicKey.fromProtobuf(HEX.parseHex("08001220"
            + "00".repeat(32))));
        assertThrows(KeyFormatException.class, () -> PublicKey.fromProtobuf(HEX.parseHex("ff")));
        byte[] mismatched = seedOne().toProtobuf();
        mismatched[mismatched.length - 1] ^= 1;
        assertThrows(KeyFormatException.class, () -> PrivateKey.fromProtobuf(mismatched));
    }

    @Test
    void ed25519MatchesRfc8032TestOne() {
        PrivateKey key = PrivateKey.fromSeed(
            HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            HEX.formatHex(key.publicKey().raw()));
        byte[] sig = key.sign(new byte[0]);
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            HEX.formatHex(sig));
        assertTrue(key.publicKey().verify(new byte[0], sig));
        sig[0] ^= 1;
        assertFalse(key.publicKey().verify(new byte[0], sig));
        assertFalse(key.publicKey().verify(new byte[0], new byte[3]));
    }
}
