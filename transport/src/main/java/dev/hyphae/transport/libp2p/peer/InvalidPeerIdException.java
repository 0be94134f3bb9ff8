package dev.hyphae.transport.libp2p.peer;

/** Text or bytes that are not a peer id, with the reason. */
public final class InvalidPeerIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidPeerIdException(String reason) {
        super(reason);
    }
}
