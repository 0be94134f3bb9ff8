package dev.hyphae.transport.libp2p.peer;

/** A signed envelope or its payload that cannot be accepted, with the reason. */
public final class InvalidEnvelopeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidEnvelopeException(String reason) {
        super(reason);
    }
}
