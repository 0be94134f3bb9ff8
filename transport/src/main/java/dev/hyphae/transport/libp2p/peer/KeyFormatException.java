package dev.hyphae.transport.libp2p.peer;

/** Bytes that are not a key Hyphae can use, with the reason. */
public final class KeyFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public KeyFormatException(String reason) {
        super(reason);
    }
}
