package dev.hyphae.node.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomAliasTest {

    @Test
    void aliasLocalpartMayBeAnyUnicode() {
        RoomAlias alias = RoomAlias.parse("#Café Chat:example.org");
        assertEquals("Café Chat", alias.localpart());
        assertEquals("example.org", alias.serverName().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"room:example.org", "#room", "#room:", "#ro\u0000om:example.org", "#room:ex ample.org"})
    void malformedAliasesAreRejected(String input) {
        assertThrows(InvalidIdentifierException.class, () -> RoomAlias.parse(input));
    }

    @Test
    void aliasesLongerThan255BytesAreRejected() {
        assertThrows(InvalidIdentifierException.class, () -> RoomAlias.parse("#" + "a".repeat(250) + ":x.org"));
    }
}
