package dev.hyphae.transport.libp2p.http;

/** The protocol ID of HTTP/1.1 on a libp2p stream, as the libp2p HTTP spec names it. */
public final class HttpProtocol {
    public static final String ID = "/http/1.1";

    private HttpProtocol() {
    }
}
