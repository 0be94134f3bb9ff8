package dev.hyphae.node.acl;

import java.util.Locale;
import java.util.Objects;

/**
 * A glob expression as the appendix "Glob-style matching" defines it: {@code *} matches zero or
 * more characters, {@code ?} exactly one, every other character itself. Matching ignores case, as
 * server ACLs require. Matched without regular expressions, in time linear in the pattern times the
 * text, so a hostile pattern cannot stall the node.
 */
public final class GlobPattern {
    private final String pattern;

    private GlobPattern(String pattern) {
        this.pattern = pattern;
    }

    /** @throws NullPointerException for a {@code null} pattern */
    public static GlobPattern of(String pattern) {
        return new GlobPattern(Objects.requireNonNull(pattern, "pattern").toLowerCase(Locale.ROOT));
    }

    /** Whether the whole of {@code text} matches, ignoring case. */
    public boolean matches(String text) {
        String value = Objects.requireNonNull(text, "text").toLowerCase(Locale.ROOT);
        int p = 0;
        int t = 0;
        int starAt = -1;
        int starMatchEnd = 0;
        while (t < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                starMatchEnd = t;
            } else if (starAt >= 0) {
                // Let the last star swallow one more character and try again after it.
                p = starAt + 1;
                t = ++starMatchEnd;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
