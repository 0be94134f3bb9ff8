package dev.hyphae.transport.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnionAddressTest {
    private static final HexFormat HEX = HexFormat.of();
    /** The public key of RFC 8032 section 7.1, test 1. */
    private static final byte[] RFC8032_KEY = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    /** Computed independently with Python's hashlib.sha3_256 and base64.b32encode. */
    private static final String RFC8032_ONION = "25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion";

    @Test
    void onionAddressOfAKeyMatchesTheIndependentlyComputedOne() {
        OnionAddress address = OnionAddress.of(RFC8032_KEY);
        assertEquals(RFC8032_ONION, address.serverName());
        assertEquals(RFC8032_ONION.substring(0, 56), address.serviceId());
    }

    @Test
    void parsingAnAddressGivesBackItsKeyAndPeerId() {
        OnionAddress parsed = OnionAddress.parse(RFC8032_ONION);
        assertArrayEquals(RFC8032_KEY, parsed.publicKey());
        assertEquals(PublicKey.ofRaw(RFC8032_KEY).toPeerId(), parsed.peerId());
    }

    @Test
    void peerIdAndOnionAddressConvertBothWays() {
        byte[] seed = new byte[32];
        seed[31] = 1;
        PrivateKey key = PrivateKey.fromSeed(seed);
        OnionAddress fromPeer = OnionAddress.of(key.peerId());
        assertEquals(OnionAddress.of(key.publicKey()), fromPeer);
        assertEquals("12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp", fromPeer.peerId().toBase58());
        assertEquals(fromPeer, OnionAddress.parse(fromPeer.serverName()));
    }

    @Test
    void aNameWithOneCharacterChangedIsRefusedForItsChecksum() {
        char flipped = RFC8032_ONION.charAt(10) == 'a' ? 'b' : 'a';
        String changed = RFC8032_ONION.substring(0, 10) + flipped + RFC8032_ONION.substring(11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnionAddress.parse(changed));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.org", "abc.onion", "example.org:8448",
        "25NJQAMCWEFLPVKL73J4SZAHHIHOC4XT3KTCGJNPAINGR5YHKENL5SID.onion",
        "25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5si1.onion"})
    void namesThatAreNotV3OnionAddressesAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> OnionAddress.parse(name));
        assertTrue(OnionAddress.tryParse(name).isEmpty());
    }

    @Test
    void noNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OnionAddress.parse(null));
    }
}
