package dev.hyphae.node.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdTest {

    @Test
    void clientChosenDeviceIdsAreKept() {
        assertEquals("ABCDEFGHIJ", DeviceId.parse("ABCDEFGHIJ").toString());
        assertEquals("my-phone_1.~", DeviceId.parse("my-phone_1.~").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\nb", "a\u0000b", "\ud800x"})
    void malformedDeviceIdsAreRejected(String input) {
        assertThrows(InvalidIdentifierException.class, () -> DeviceId.parse(input));
    }

    @Test
    void tooLongDeviceIdIsRejected() {
        assertThrows(InvalidIdentifierException.class, () -> DeviceId.parse("a".repeat(256)));
    }

    @Test
    void generatedDeviceIdsParseAndDiffer() {
        SecureRandom random = new SecureRandom();
        DeviceId a = DeviceId.generate(random);
        assertEquals(a, DeviceId.parse(a.toString()));
        assertNotEquals(a, DeviceId.generate(random));
    }
}
