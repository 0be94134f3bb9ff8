/**
 * Peer identity (libp2p peer-ids spec): Ed25519 keys and their protobuf encodings, peer ids in
 * base58btc and CID form, signed envelopes (RFC 0002) and peer records (RFC 0003).
 */
package dev.hyphae.transport.libp2p.peer;
