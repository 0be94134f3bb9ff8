package dev.hyphae.transport.libp2p.identify;

/** Constants of the identify protocols. */
public final class IdentifyProtocol {
    public static final String ID = "/ipfs/id/1.0.0";
    public static final String PUSH_ID = "/ipfs/id/push/1.0.0";
    /** The protocol family js-libp2p announces. */
    public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
    /** Largest single message, as js enforces. */
    public static final int MAX_MESSAGE_SIZE = 8 * 1024;
    /** js reads at most this many messages before EOF; so do we. */
    public static final int MAX_MESSAGES = 10;

    private IdentifyProtocol() {
    }
}
