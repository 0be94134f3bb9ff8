package dev.hyphae.node.acl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobPatternTest {
    @Test
    void starMatchesAnyRunOfCharactersIncludingNone() {
        GlobPattern pattern = GlobPattern.of("*.example.org");
        assertTrue(pattern.matches("matrix.example.org"));
        assertTrue(pattern.matches("a.b.example.org"));
        assertTrue(pattern.matches(".example.org"));
        assertFalse(pattern.matches("example.org"));
        assertTrue(GlobPattern.of("*").matches(""));
        assertTrue(GlobPattern.of("ab*").matches("ab"));
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        GlobPattern pattern = GlobPattern.of("h?st");
        assertTrue(pattern.matches("host"));
        assertFalse(pattern.matches("hst"));
        assertFalse(pattern.matches("hoost"));
    }

    @Test
    void matchingIgnoresCase() {
        assertTrue(GlobPattern.of("EVIL.com").matches("evil.COM"));
    }

    @Test
    void wholeTextMustMatchNotOnlyAPrefixOrSuffix() {
        assertFalse(GlobPattern.of("evil.com").matches("evil.com.example.org"));
        assertFalse(GlobPattern.of("evil.com").matches("notevil.com"));
        assertTrue(GlobPattern.of("*evil.com").matches("notevil.com"));
    }

    @Test
    void starsBacktrackToFindALaterMatch() {
        assertTrue(GlobPattern.of("*a*b?c").matches("xxaxxbxbyc"));
        assertFalse(GlobPattern.of("*a*b?c").matches("xxaxxbxbc"));
    }

    @Test
    void otherRegexCharactersAreLiteral() {
        assertTrue(GlobPattern.of("[::1]").matches("[::1]"));
        assertFalse(GlobPattern.of("a.c").matches("abc"));
    }

    @Test
    void manyStarsOnALongNameFinishWithoutExponentialBacktracking() {
        String name = "a".repeat(5000);
        assertFalse(GlobPattern.of("*a*a*a*a*a*a*a*a*a*a*b").matches(name));
    }
}
