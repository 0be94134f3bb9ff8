/**
 * HTTP/1.1 over libp2p streams (libp2p HTTP spec, "Using HTTP semantics over stream transports"):
 * a client opens a new stream with protocol {@value dev.hyphae.transport.libp2p.http.HttpProtocol#ID},
 * writes one request with {@code Connection: close}, reads one response, and the stream ends.
 */
package dev.hyphae.transport.libp2p.http;
