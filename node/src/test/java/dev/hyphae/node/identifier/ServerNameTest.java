package dev.hyphae.node.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ServerNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"matrix.org", "matrix.org:8888", "1.2.3.4", "1.2.3.4:1234", "[1234:5678::abcd]",
            "[1234:5678::abcd]:5678", "localhost", "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvw.onion"})
    void specExamplesAreAccepted(String name) {
        assertEquals(name, ServerName.parse(name).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "matrix.org:", "matrix.org:123456", "matrix.org:99999", "matrix.org:8a",
            "exa mple.org", "ex_ample.org", "[1234:5678::abcd", "[zz::1]", "[1234]", "[::1]x", "1.2.3.256",
            "matrix.org:80:80", "mätrix.org"})
    void malformedServerNamesAreRejected(String name) {
        assertThrows(InvalidIdentifierException.class, () -> ServerName.parse(name));
    }

    @Test
    void hostAndPortAreSplit() {
        ServerName name = ServerName.parse("[::1]:8448");
        assertEquals("[::1]", name.host());
        assertEquals(OptionalInt.of(8448), name.port());
        assertTrue(ServerName.parse("example.org").port().isEmpty());
    }

    @Test
    void serverNamesAreCaseSensitive() {
        assertNotEquals(ServerName.parse("matrix.org"), ServerName.parse("MATRIX.ORG"));
        assertEquals(ServerName.parse("matrix.org"), ServerName.parse("matrix.org"));
    }

    @Test
    void nullIsRejectedWithAReason() {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> ServerName.parse(null));
        assertTrue(e.getMessage().contains("missing"));
    }
}
