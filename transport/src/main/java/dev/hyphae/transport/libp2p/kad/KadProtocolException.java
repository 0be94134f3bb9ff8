package dev.hyphae.transport.libp2p.kad;

/** A peer sent something the DHT protocol does not allow; the reason says what. */
public final class KadProtocolException extends Exception {
    public KadProtocolException(String message) {
        super(message);
    }
}
