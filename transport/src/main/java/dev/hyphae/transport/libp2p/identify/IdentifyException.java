package dev.hyphae.transport.libp2p.identify;

import java.io.IOException;

/** An identify exchange failed: malformed, oversized, truncated or not from the connection's peer. */
public final class IdentifyException extends IOException {
    private static final long serialVersionUID = 1L;

    public IdentifyException(String reason) {
        super(reason);
    }
}
