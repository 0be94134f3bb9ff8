package dev.hyphae.transport.libp2p.kad;

/** A DHT record that fails validation: its reason says why. */
public final class InvalidRecordException extends Exception {
    public InvalidRecordException(String message) {
        super(message);
    }
}
