package dev.hyphae.node.push;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobPatternTest {
    @Test
    void wholeValueMatchIsCaseInsensitiveAndCoversTheEntireValue() {
        GlobPattern lunch = GlobPattern.wholeValue("lunc?*");
        assertTrue(lunch.matches("Lunch plans"));
        assertTrue(lunch.matches("LUNCH"));
        assertFalse(lunch.matches(" lunch"), "a leading space is not matched");
        assertFalse(lunch.matches("lunc"), "? must match a character");
    }

    @Test
    void regexCharactersInTheGlobAreLiteral() {
        assertTrue(GlobPattern.wholeValue("m.room.*").matches("m.room.message"));
        assertFalse(GlobPattern.wholeValue("m.room.*").matches("mxroom.message"));
        assertTrue(GlobPattern.wholeValue("a+b(c)").matches("A+B(C)"));
        assertTrue(GlobPattern.wholeValue("").matches(""));
        assertFalse(GlobPattern.wholeValue("").matches("x"));
    }

    @Test
    void bodyMatchFindsSubstringsBetweenWordBoundaries() {
        GlobPattern example = GlobPattern.words("ex*ple");
        assertTrue(example.matches("An example event."));
        assertTrue(example.matches("exple"));
        assertTrue(example.matches("An exciting triple-whammy"));
        assertFalse(example.matches("Anexample event"), "must start at a word boundary");
        assertFalse(example.matches("examples"), "must end at a word boundary");
        assertFalse(GlobPattern.words("cake").matches("cake_lie"), "underscore is a word character");
        assertTrue(GlobPattern.words("cake").matches("I like CAKE!"));
    }

    @Test
    void literalWordsIgnoreGlobCharacters() {
        assertTrue(GlobPattern.literalWords("Dr. *Who*").matches("hello dr. *who* there"));
        assertFalse(GlobPattern.literalWords("Dr. *Who*").matches("hello dr. Xwho there"));
    }
}
