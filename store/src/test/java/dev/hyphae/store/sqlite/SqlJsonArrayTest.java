package dev.hyphae.store.sqlite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlJsonArrayTest {
    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("[\"$a\",\"q\\\"b\\\\s\\u0001\"]", SqlJsonArray.of(List.of("$a", "q\"b\\s\u0001")));
        assertEquals("[]", SqlJsonArray.of(List.of()));
    }
}
