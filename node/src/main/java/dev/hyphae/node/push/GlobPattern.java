package dev.hyphae.node.push;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob (appendices, "Glob-style matching": {@code *} is zero or more characters, {@code ?} exactly
 * one) matched case-insensitively, either against a whole value or, as push rules do for
 * {@code content.body}, against any substring that starts and ends at a word boundary.
 */
public final class GlobPattern {
    /** A word boundary is the start or end of the value, or a character outside [A-Za-z0-9_]. */
    private static final String BOUNDARY_BEFORE = "(?:^|[^A-Za-z0-9_])";
    private static final String BOUNDARY_AFTER = "(?:[^A-Za-z0-9_]|$)";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL;

    private final String glob;
    private final Pattern pattern;

    private GlobPattern(String glob, Pattern pattern) {
        this.glob = glob;
        this.pattern = pattern;
    }

    /** A glob that must match the entire value. */
    public static GlobPattern wholeValue(String glob) {
        return new GlobPattern(glob, Pattern.compile("^" + regex(glob) + "$", FLAGS));
    }

    /** A glob that must match a substring starting and ending at a word boundary. */
    public static GlobPattern words(String glob) {
        return new GlobPattern(glob, Pattern.compile(BOUNDARY_BEFORE + "(?:" + regex(glob) + ")" + BOUNDARY_AFTER, FLAGS));
    }

    /** Literal text (no wildcards) that must appear between word boundaries. */
    public static GlobPattern literalWords(String text) {
        return new GlobPattern(text, Pattern.compile(BOUNDARY_BEFORE + Pattern.quote(text) + BOUNDARY_AFTER, FLAGS));
    }

    public boolean matches(String value) {
        Objects.requireNonNull(value, "value");
        return pattern.matcher(value).find();
    }

    private static String regex(String glob) {
        Objects.requireNonNull(glob, "glob");
        StringBuilder regex = new StringBuilder(glob.length() + 16);
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*?" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }

    /** Two globs are equal when they match the same way: same text, same mode. */
    @Override
    public boolean equals(Object other) {
        return other instanceof GlobPattern that && that.pattern.pattern().equals(pattern.pattern());
    }

    @Override
    public int hashCode() {
        return pattern.pattern().hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
