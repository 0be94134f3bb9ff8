/**
 * The libp2p Kademlia DHT (kad-dht spec), wire-compatible with js-libp2p's {@code @libp2p/kad-dht}.
 *
 * <p>Wiring a node: create a {@link dev.hyphae.transport.libp2p.kad.PeerConnections} over the
 * transport's dial, a {@link dev.hyphae.transport.libp2p.kad.RoutingTable} (with
 * {@link dev.hyphae.transport.libp2p.kad.PingLiveness}), the stores and a validator, then a
 * {@link dev.hyphae.transport.libp2p.kad.KadDht}. Serve {@code dht.streamHandler()} under
 * {@code dht.protocolId()} in the node's {@code StreamProtocols}, register every upgraded
 * connection with the {@code PeerConnections}, and call {@code dht.addPeer} for each peer whose
 * identify lists {@code dht.protocolId()}, with its identify listen addresses; the DHT itself adds
 * peers that answer its requests.
 *
 * <p>The protocol id is {@link dev.hyphae.transport.libp2p.kad.KadConfig#HYPHAE_PROTOCOL} by
 * default, {@link dev.hyphae.transport.libp2p.kad.KadConfig#STANDARD_PROTOCOL} for the IPFS DHT.
 * Records are accepted only in namespaces with a validator; Hyphae's own is {@code /hyphae/}
 * ({@link dev.hyphae.transport.libp2p.kad.HyphaeRecord}).
 */
package dev.hyphae.transport.libp2p.kad;
