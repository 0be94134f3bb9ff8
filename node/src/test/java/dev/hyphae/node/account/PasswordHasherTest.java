package dev.hyphae.node.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(new Argon2Settings(64, 1, 1), new SecureRandom());

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = hasher.hash("correct horse");
        assertTrue(hasher.verify("correct horse", hash));
        assertFalse(hasher.verify("correct horsE", hash));
        assertFalse(hasher.verify("", hash));
    }

    @Test
    void theEncodingCarriesAlgorithmCostAndSaltSoEachHashDiffers() {
        String first = hasher.hash("pw");
        assertTrue(first.matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), first);
        assertNotEquals(first, hasher.hash("pw"));
    }

    @Test
    void aHashMadeWithOtherSettingsStillVerifies() {
        String old = new PasswordHasher(new Argon2Settings(128, 2, 2), new SecureRandom()).hash("pw");
        assertTrue(hasher.verify("pw", old));
    }

    @Test
    void aMalformedOrForeignHashNeverMatches() {
        assertFalse(hasher.verify("pw", null));
        assertFalse(hasher.verify("pw", ""));
        assertFalse(hasher.verify("pw", "$2b$12$abcdefghijklmnopqrstuv"));
        assertFalse(hasher.verify("pw", "$argon2id$v=19$m=1,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertFalse(hasher.verify("pw", "$argon2id$v=19$m=99999999,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    }

    @Test
    void unusableSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(4, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(64, 0, 1));
    }
}
