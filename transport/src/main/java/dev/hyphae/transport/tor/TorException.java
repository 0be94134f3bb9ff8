package dev.hyphae.transport.tor;

/** Tor could not be started, controlled or used; the message says which step failed and why. */
public final class TorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TorException(String message) {
        super(message);
    }

    public TorException(String message, Throwable cause) {
        super(message, cause);
    }
}
