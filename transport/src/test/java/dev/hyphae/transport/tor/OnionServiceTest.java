package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OnionServiceTest {

    @Test
    void theExpandedKeyOfASeedIsAccepted() {
        assertDoesNotThrow(() -> OnionService.checkExpandedKey(OnionKeys.fixed(1).expandedSecretKey()));
    }

    @Test
    void seedFollowedByPublicKeyIsRefusedAsNotExpanded() {
        OnionKeys keys = OnionKeys.fixed(1);
        byte[] seedAndPublic = Arrays.copyOf(keys.seed(), 64);
        System.arraycopy(keys.publicKey(), 0, seedAndPublic, 32, 32);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnionService.checkExpandedKey(seedAndPublic));

        assertTrue(e.getMessage().contains("not an RFC 8032 expanded secret key"), e.getMessage());
    }

    @Test
    void aKeyOfAnotherLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OnionService.checkExpandedKey(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> OnionService.checkExpandedKey(null));
    }

    @Test
    void theServiceIdIsTheAddressWithoutOnion() {
        String address = OnionKeys.fixed(1).address();

        assertEquals(address.substring(0, 56), OnionService.serviceIdOf(address));
        assertEquals(address.substring(0, 56), OnionService.serviceIdOf(address.toUpperCase()));
    }

    @Test
    void onlyV3OnionAddressesAreAccepted() {
        for (String bad : new String[] {"example.org", "expyuzz4wqqyqhjn.onion", "", "1" + OnionKeys.fixed(1).address().substring(1)}) {
            assertThrows(IllegalArgumentException.class, () -> OnionService.serviceIdOf(bad), bad);
        }
    }

    @Test
    void aSeedGivesTheAddressTheNodeDerives() {
        // the vector of node's NodeIdentityTest: RFC 8032 section 7.1, test 1
        byte[] seed = java.util.HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        assertEquals("25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion", OnionKeys.fromSeed(seed).address());
    }
}
