package dev.hyphae.transport.libp2p.mux;

import java.io.IOException;

/** Fails writes on a stream that was reset (by either side) or whose connection was lost. */
public final class StreamResetException extends IOException {
    private static final long serialVersionUID = 1L;

    public StreamResetException(String message) {
        super(message);
    }
}
