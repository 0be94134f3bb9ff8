package dev.hyphae.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatrixIdsTest {

    @Test
    void domainIsWhatFollowsTheFirstColon() {
        assertEquals("example.org:8448", MatrixIds.domain("@a:example.org:8448"));
        assertEquals("", MatrixIds.domain("$abc"));
    }

    @Test
    void userIdsNeedTheSigilALocalpartSeparatorAndAServerName() {
        assertTrue(MatrixIds.isUserId("@alice:example.org"));
        assertTrue(MatrixIds.isUserId("@alice:[::1]:8448"));
        assertTrue(MatrixIds.isUserId("@alice:127.0.0.1"));
        // historical localparts are accepted over federation
        assertTrue(MatrixIds.isUserId("@Alice!:example.org"));
        assertFalse(MatrixIds.isUserId("alice:example.org"));
        assertFalse(MatrixIds.isUserId("@alice"));
        assertFalse(MatrixIds.isUserId("@alice:"));
        assertFalse(MatrixIds.isUserId("@alice:exa mple.org"));
        assertFalse(MatrixIds.isUserId("@alice:example.org:port"));
        assertFalse(MatrixIds.isUserId("@" + "a".repeat(250) + ":example.org"));
    }
}
