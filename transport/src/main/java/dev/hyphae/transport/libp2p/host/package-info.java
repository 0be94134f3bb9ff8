/**
 * The libp2p host: one object that owns the event loops, the TCP transport and its upgrader,
 * serves identify, identify push, ping and the DHT on every connection, identifies every new
 * connection into a {@link dev.hyphae.transport.libp2p.host.PeerStore} and the DHT, optionally
 * discovers peers with mDNS, dials and accepts circuit relay v2 connections (and upgrades them
 * with DCUtR), and enforces connection limits. The peer store keeps itself through a
 * {@link dev.hyphae.transport.libp2p.host.PeerPersistence} that the node implements on its database.
 */
package dev.hyphae.transport.libp2p.host;
