package dev.hyphae.transport.libp2p.multiaddr;

/** Text or bytes that are not a valid multiaddr, with the reason. */
public final class MultiaddrException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MultiaddrException(String reason) {
        super(reason);
    }
}
