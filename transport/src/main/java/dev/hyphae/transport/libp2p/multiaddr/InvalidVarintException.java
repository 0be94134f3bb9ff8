package dev.hyphae.transport.libp2p.multiaddr;

/** Bytes that are not a valid multiformats unsigned varint. */
public final class InvalidVarintException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidVarintException(String reason) {
        super(reason);
    }
}
