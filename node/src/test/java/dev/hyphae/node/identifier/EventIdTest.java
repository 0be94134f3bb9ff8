package dev.hyphae.node.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EventIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"$a4ecee13e2accdadf56c1025:example.com", "$CD66HAED5npg6074c6pDtLKalHjVfYb2q4Q3LZgrW6o",
            "$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg", "$def/456+oldevent1234567890abcdefghijklmnopq"})
    void eventIdsOfEveryFormatAreAccepted(String input) {
        assertEquals(input, EventId.parse(input).toString());
    }

    @Test
    void roomVersion1EventIdCarriesItsServer() {
        assertEquals("example.com", EventId.parse("$abc:example.com").serverName().orElseThrow().toString());
        assertTrue(EventId.parse("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg").serverName().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "$", "abc:example.com", "$short", "$:example.com", "$abc:", "$abc:exa mple",
            "$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg=", "$Rqnc-F-dvnEYJTyHq/iKxU2bZ1CI92-kuZq3a5lr5Zg"})
    void malformedEventIdsAreRejected(String input) {
        assertThrows(InvalidIdentifierException.class, () -> EventId.parse(input));
    }
}
