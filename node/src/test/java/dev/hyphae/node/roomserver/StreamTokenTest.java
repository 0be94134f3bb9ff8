package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamTokenTest {
    @Test
    void tokensRoundTrip() {
        assertEquals(new StreamToken(42), StreamToken.parse(new StreamToken(42).toString()));
        assertEquals(0, StreamToken.parse("s0").position());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "42", "s-1", "s1x", "t5", "s99999999999999999999"})
    void malformedTokensAreBadRequests(String token) {
        RoomServerException refused = assertThrows(RoomServerException.class, () -> StreamToken.parse(token));
        assertEquals(RoomServerException.Kind.BAD_REQUEST, refused.kind());
    }
}
