package dev.hyphae.node.json;

/** JSON that is malformed or not allowed by the canonical JSON rules; the message says why. */
public class CanonicalJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CanonicalJsonException(String message) {
        super(message);
    }

    public CanonicalJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
