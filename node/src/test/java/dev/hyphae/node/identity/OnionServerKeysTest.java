package dev.hyphae.node.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnionServerKeysTest {
    private final NodeIdentity identity = NodeIdentity.fromSeed(seed(7));

    @Test
    void theKeyOfAnOnionServerNameIsTheNodesSigningKey() {
        byte[] key = OnionServerKeys.publicKeyOf(identity.serverName()).orElseThrow();
        assertArrayEquals(identity.publicKey(), key);
        var found = new OnionServerKeys().find(identity.serverName(), identity.keyId()).orElseThrow();
        assertArrayEquals(identity.publicKey(), found.key().publicKey());
    }

    @Test
    void aNameWithOneCharacterChangedHasNoKey() {
        String name = identity.serverName();
        char flipped = name.charAt(10) == 'a' ? 'b' : 'a';
        String changed = name.substring(0, 10) + flipped + name.substring(11);
        assertTrue(OnionServerKeys.publicKeyOf(changed).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.org", "abc.onion", "EXAMPLE.onion", "example.org:8448"})
    void otherNamesHaveNoKey(String name) {
        assertTrue(OnionServerKeys.publicKeyOf(name).isEmpty());
    }

    @Test
    void onlyEd25519KeyIdsAreFound() {
        assertTrue(new OnionServerKeys().find(identity.serverName(), "curve25519:x").isEmpty());
        assertEquals(identity.keyId(), new OnionServerKeys().find(identity.serverName(), identity.keyId())
                .orElseThrow().key().keyId());
    }

    @Test
    void aKeyAskedForAgainIsTheSameKeyUnderEachKeyId() {
        OnionServerKeys keys = new OnionServerKeys();
        var first = keys.find(identity.serverName(), identity.keyId()).orElseThrow();
        var again = keys.find(identity.serverName(), identity.keyId()).orElseThrow();
        var otherId = keys.find(identity.serverName(), "ed25519:other").orElseThrow();
        assertEquals(first, again);
        assertEquals("ed25519:other", otherId.key().keyId());
        assertArrayEquals(identity.publicKey(), otherId.key().publicKey());
        NodeIdentity other = NodeIdentity.fromSeed(seed(8));
        assertArrayEquals(other.publicKey(), keys.find(other.serverName(), identity.keyId()).orElseThrow().key().publicKey(),
                "another server under the same key ID has its own key");
    }

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }
}
