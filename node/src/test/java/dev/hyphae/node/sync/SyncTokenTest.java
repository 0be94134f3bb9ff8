package dev.hyphae.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.node.http.MatrixException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyncTokenTest {
    @Test
    void aTokenReadsBackAsItWasWritten() {
        SyncToken token = SyncToken.of(42, 7);
        assertEquals("s42_7", token.toString());
        assertEquals(token, SyncToken.parse(token.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "s1", "s_1", "s1_", "t1_2", "s-1_2", "s1_x", "s1__2", "s99999999999999999999_1"})
    void aStringThisNodeDidNotMakeIsAnInvalidParameter(String token) {
        MatrixException error = assertThrows(MatrixException.class, () -> SyncToken.parse(token));
        assertEquals(MatrixException.M_INVALID_PARAM, error.errcode());
    }

    @Test
    void aTokenFromBeforeAStreamWasAddedStartsThatStreamAtZero() {
        SyncToken token = SyncToken.parse("s42_7");
        assertEquals(0, token.position(2));
        assertEquals("s42_7_3", SyncToken.of(42, 7, 3).toString());
        assertEquals(3, SyncToken.parse("s42_7_3").position(2));
    }

    @Test
    void negativePositionsCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> SyncToken.of(-1, 0));
    }
}
