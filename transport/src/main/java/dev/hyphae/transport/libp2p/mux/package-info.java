/**
 * The stream muxer contract: a {@link dev.hyphae.transport.libp2p.mux.StreamMuxer} installs itself
 * on a secured connection and yields a {@link dev.hyphae.transport.libp2p.mux.MuxedSession}, whose
 * streams are Netty child channels ({@link dev.hyphae.transport.libp2p.mux.MuxedStream}) with
 * half-close and reset. Every muxer must pass the shared contract test {@code StreamMuxerContract}.
 */
package dev.hyphae.transport.libp2p.mux;
