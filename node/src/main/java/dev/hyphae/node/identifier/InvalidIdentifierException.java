package dev.hyphae.node.identifier;

/** A string that does not follow the grammar of the identifier it was parsed as; the message says why. */
public class InvalidIdentifierException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidIdentifierException(String kind, String input, String reason) {
        super("invalid " + kind + " " + quote(input) + ": " + reason);
    }

    private static String quote(String input) {
        if (input == null) {
            return "null";
        }
        // Keep messages readable when the input is huge or full of control characters.
        String shown = input.length() > 80 ? input.substring(0, 80) + "..." : input;
        StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
        shown.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}
