package dev.hyphae.transport.libp2p.yamux;

/** Stream states, named as in the yamux specification's reference implementation. */
public enum YamuxStreamState {
    /** We sent SYN and wait for ACK; data may already flow. */
    SYN_SENT,
    /** The remote sent SYN; we have not yet acknowledged. */
    SYN_RECEIVED,
    ESTABLISHED,
    /** We sent FIN; the remote may still send. */
    LOCAL_CLOSE,
    /** The remote sent FIN; we may still send. */
    REMOTE_CLOSE,
    /** Both sides sent FIN. */
    CLOSED,
    /** Either side sent RST, or the connection ended. */
    RESET;

    boolean isTerminal() {
        return this == CLOSED || this == RESET;
    }

    boolean localOpen() {
        return this == SYN_SENT || this == SYN_RECEIVED || this == ESTABLISHED || this == REMOTE_CLOSE;
    }

    boolean remoteOpen() {
        return this == SYN_SENT || this == SYN_RECEIVED || this == ESTABLISHED || this == LOCAL_CLOSE;
    }
}
