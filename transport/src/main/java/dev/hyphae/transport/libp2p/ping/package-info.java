/**
 * Ping ({@code /ipfs/ping/1.0.0}, ping spec): {@link dev.hyphae.transport.libp2p.ping.PingResponder}
 * for inbound streams, {@link dev.hyphae.transport.libp2p.ping.PingInitiator} to measure the RTT
 * on a stream this node opened. js-libp2p pings every connection every 10 s and drops it if the
 * ping fails, so every node must serve the responder.
 */
package dev.hyphae.transport.libp2p.ping;
