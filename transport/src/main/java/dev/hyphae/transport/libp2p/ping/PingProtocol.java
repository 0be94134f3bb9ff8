package dev.hyphae.transport.libp2p.ping;

/** Constants of the libp2p ping protocol (ping spec). */
public final class PingProtocol {
    public static final String ID = "/ipfs/ping/1.0.0";
    /** The dialer sends this many random bytes; the listener echoes them. */
    public static final int PAYLOAD_LENGTH = 32;

    private PingProtocol() {
    }
}
