/**
 * Identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}), identify spec:
 * {@link dev.hyphae.transport.libp2p.identify.IdentifyWriter} sends this node's {@link
 * dev.hyphae.transport.libp2p.identify.IdentifyMessage} and half-closes; {@link
 * dev.hyphae.transport.libp2p.identify.IdentifyReader} reads the remote's until end of stream and
 * checks it against the connection's authenticated peer.
 */
package dev.hyphae.transport.libp2p.identify;
