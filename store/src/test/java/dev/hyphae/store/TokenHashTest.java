package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenHashTest {
    @Test
    void hashIsTheSha256OfTheTokenInLowerCaseHex() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenHash.of("abc").hex());
    }

    @Test
    void differentTokensHaveDifferentHashes() {
        assertNotEquals(TokenHash.of("a"), TokenHash.of("b"));
    }

    @Test
    void malformedHashesAndEmptyTokensAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenHash("xyz"));
        assertThrows(IllegalArgumentException.class, () -> new TokenHash("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
        assertThrows(IllegalArgumentException.class, () -> TokenHash.of(""));
    }
}
