/**
 * Yamux ({@code /yamux/1.0.0}, yamux spec), wire-compatible with js-libp2p: a frame codec
 * ({@link dev.hyphae.transport.libp2p.yamux.YamuxFrameDecoder}, {@link
 * dev.hyphae.transport.libp2p.yamux.YamuxFrameEncoder}), a session handler ({@link
 * dev.hyphae.transport.libp2p.yamux.YamuxSession}) with keep-alive pings and Go Away, and streams
 * as child channels with per-stream flow control (256 KiB initial window, growing up to
 * {@link dev.hyphae.transport.libp2p.yamux.YamuxConfig#maxWindow()}). Install with {@link
 * dev.hyphae.transport.libp2p.yamux.YamuxMuxer}.
 */
package dev.hyphae.transport.libp2p.yamux;
