package dev.hyphae.node.event;

/** An event that does not follow the event format of its room version; the message says why. */
public class InvalidPduException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidPduException(String message) {
        super(message);
    }

    public InvalidPduException(String message, Throwable cause) {
        super(message, cause);
    }
}
