package dev.hyphae.transport.libp2p.http;

import java.io.IOException;

/**
 * An HTTP exchange on a stream that ended without a usable response: the stream could not be
 * opened or negotiated, was reset or closed early, timed out, or the response broke the limits.
 */
public final class HttpStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public HttpStreamException(String message) {
        super(message);
    }

    public HttpStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
