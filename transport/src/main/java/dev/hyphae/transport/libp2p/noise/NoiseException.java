package dev.hyphae.transport.libp2p.noise;

/** A Noise handshake or transport message that must end the session, with the reason. */
public final class NoiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoiseException(String reason) {
        super(reason);
    }
}
