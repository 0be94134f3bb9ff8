package dev.hyphae.transport.libp2p.connection;

/** A raw connection that could not be turned into a secured, multiplexed libp2p connection. */
public final class UpgradeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UpgradeException(String reason) {
        super(reason);
    }

    public UpgradeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
