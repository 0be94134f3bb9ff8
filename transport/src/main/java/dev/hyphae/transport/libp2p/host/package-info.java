/**
 * The libp2p host: one object that owns the event loops, the TCP transport and its upgrader,
 * serves identify, ping and the DHT on every connection, identifies every new connection into a
 * {@link dev.hyphae.transport.libp2p.host.PeerStore} and the DHT, and enforces connection limits.
 * The peer store is in memory only; persisting it (SQLite) is not done yet.
 */
package dev.hyphae.transport.libp2p.host;
