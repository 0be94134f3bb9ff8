package dev.hyphae.node.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTest {

    @Test
    void localpartAndServerNameAreSplitAtTheFirstColon() {
        UserId id = UserId.parse("@alice:example.org:8448");
        assertEquals("alice", id.localpart());
        assertEquals(ServerName.parse("example.org:8448"), id.serverName());
        assertEquals("@alice:example.org:8448", id.toString());
        assertTrue(id.isCompliant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"@Alice:example.org", "@:example.org", "@al ice:example.org", "@日本:example.org",
            "@a\u0001b:example.org"})
    void historicalUserIdsAreAcceptedButNotCompliant(String input) {
        UserId id = UserId.parse(input);
        assertFalse(id.isCompliant());
        assertThrows(InvalidIdentifierException.class, () -> UserId.parseCompliant(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice:example.org", "@alice", "@alice:", "@alice:bad_host", "@a\u0000b:example.org",
            "@a\ud800:example.org", "#alice:example.org"})
    void malformedUserIdsAreRejected(String input) {
        assertThrows(InvalidIdentifierException.class, () -> UserId.parse(input));
    }

    @Test
    void userIdsLongerThan255BytesAreRejected() {
        String ok = "@" + "a".repeat(255 - ":example.org".length() - 1) + ":example.org";
        assertEquals(255, ok.length());
        UserId.parse(ok);
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class,
                () -> UserId.parse("@a" + ok.substring(1)));
        assertTrue(e.getMessage().contains("255 bytes"), e.getMessage());
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        String twoByteLocalpart = "é".repeat(122);
        assertThrows(InvalidIdentifierException.class, () -> UserId.parse("@" + twoByteLocalpart + ":example.org"));
    }

    @Test
    void ofBuildsACompliantIdAndRejectsBadLocalparts() {
        ServerName server = ServerName.parse("example.org");
        assertEquals("@bob.smith=2f_x+y-z/1:example.org", UserId.of("bob.smith=2f_x+y-z/1", server).toString());
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> UserId.of("Bob", server));
        assertTrue(e.getMessage().contains("'B'"), e.getMessage());
    }
}
